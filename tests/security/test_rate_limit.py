"""Per-principal rate limits: a default that lets an ordinary paging client through, counters
shared by every worker through the embedded store's server (in-process without it), a 429 with
``Retry-After`` and a GraphQL-shaped body, and a reusable ``allow(key, cost)`` for other limits."""

import asyncio
import uuid
from types import SimpleNamespace

import httpx
from pydantic import SecretStr
from redis import Redis

from graphapi.app import create_app
from graphapi.security.principal import DEMO_PRINCIPAL, Principal
from graphapi.security.ratelimit import RateLimiter, principal_key
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings

SECRET = "test-secret-of-at-least-32-bytes-long!!"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _name() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"  # the store's server outlives a test: fresh buckets each time


def test_default_limit_lets_a_paging_client_fire_300_requests_then_20_a_second():
    settings = Settings()
    clock = Clock()
    limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst, clock=clock)
    assert [limiter.check("TH-DSI:ana") for _ in range(300)] == [0.0] * 300
    assert limiter.check("TH-DSI:ana") == 0.05  # one token every 1/20 s
    clock.now += 1.0
    assert [limiter.check("TH-DSI:ana") for _ in range(20)] == [0.0] * 20


async def test_allow_takes_cost_tokens_per_call():
    limiter = RateLimiter(60, 10, name="hits", clock=Clock())
    assert [await limiter.allow("TH-DSI:ana", cost=4) for _ in range(3)] == [0.0, 0.0, 2.0]


async def test_workers_on_the_embedded_store_share_one_bucket(store):
    name, key = _name(), "TH-DSI:ana"
    # 1 token a minute: the wait after the burst is a minute less the time the calls took (the
    # server's clock refills the shared bucket), so a machine that stalls for seconds still passes
    worker_a, worker_b = RateLimiter(1, 3, name=name), RateLimiter(1, 3, name=name)
    taken = [await worker_a.allow(key, store=store), await worker_b.allow(key, store=store),
             await worker_a.allow(key, store=store)]
    wait = await worker_b.allow(key, store=store)
    assert taken == [0.0, 0.0, 0.0] and 30 < wait <= 60
    assert await worker_b.allow("VN-MPS:bao", store=store) == 0.0  # another principal, another bucket


async def test_without_a_shared_store_each_process_counts_alone():
    neo4j_like = SimpleNamespace(dialect="neo4j")
    worker_a, worker_b = RateLimiter(60, 2, clock=Clock()), RateLimiter(60, 2, clock=Clock())
    assert [await worker_a.allow("k", store=neo4j_like) for _ in range(3)][2] > 0
    assert await worker_b.allow("k", store=neo4j_like) == 0.0


async def test_an_unreachable_store_falls_back_to_counting_in_this_process(caplog):
    gone = SimpleNamespace(dialect="falkordb", server=SimpleNamespace(socket="/nonexistent/lintas.sock"))
    limiter = RateLimiter(60, 2, name=_name(), clock=Clock())
    waits = [await limiter.allow("k", store=gone) for _ in range(3)]
    assert waits[:2] == [0.0, 0.0] and waits[2] > 0
    assert any("shared counters unavailable" in r.getMessage() for r in caplog.records)


def test_principal_key_separates_agencies_and_anonymous_clients():
    assert principal_key(Principal("ana", agency="TH-DSI")) == "TH-DSI:ana"
    assert principal_key(DEMO_PRINCIPAL, "10.0.0.7") == "anon:10.0.0.7"


async def test_two_app_workers_share_the_limit_and_answer_429_with_retry_after(store, tmp_path):
    settings = Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), rate_limit_per_minute=60,
                        rate_limit_burst=2)
    token = mint_token(_name(), secret=SECRET, agency="TH-DSI", roles=["analyst"])
    headers = {"Authorization": f"Bearer {token}", "X-Request-ID": "req-rl"}
    codes, last = [], None
    for worker in (create_app(settings, store=store), create_app(settings, store=store)):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=worker), base_url="http://t") as c:
            for _ in range(2):
                last = await c.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
                codes.append(last.status_code)
    assert codes == [200, 200, 429, 429]
    assert last.headers["retry-after"] == "1" and last.headers["content-type"] == "application/json"
    assert last.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED", "requestId": "req-rl"}
    assert last.json()["errors"][0]["message"] == "too many requests; retry in 1 s"  # as Retry-After says


def _counting(limiter: RateLimiter) -> list[int]:
    """Count the limiter's round trips to its shared buckets from now on."""
    trips = [0]
    for shared in limiter._shared.values():
        take = shared.take

        async def counted(*args, take=take, **kwargs):
            trips[0] += 1
            return await take(*args, **kwargs)

        shared.take = counted
    return trips


async def test_leasing_workers_never_let_more_through_than_the_shared_bucket(store):
    name, key = _name(), "TH-DSI:ana"
    # burst 20, a token a minute: 20 requests pass in all, whichever worker leased what
    worker_a = RateLimiter(1, 20, name=name, lease=7, lease_s=60)
    worker_b = RateLimiter(1, 20, name=name, lease=7, lease_s=60)
    waits = [await worker.allow(key, store=store) for _ in range(20) for worker in (worker_a, worker_b)]
    assert sum(w == 0.0 for w in waits) == 20 and all(w > 0 for w in waits[-10:])


async def test_more_requests_at_once_than_the_pool_has_connections_still_share_one_bucket(store):
    # attack round 17, R1: the ninth request at once fell back to each worker's own bucket
    name, key = _name(), "TH-DSI:ana"
    workers = [RateLimiter(1, 20, name=name), RateLimiter(1, 20, name=name)]
    waits = await asyncio.gather(*(workers[i % 2].allow(key, store=store) for i in range(64)))
    assert sum(w == 0.0 for w in waits) == 20

async def test_leases_taken_by_calls_at_once_are_all_spent_not_lost(store):
    # attack round 18, R1b: each call at once leased, the last lease replaced the others, and the
    # tokens of those were gone (32 connections got 380 of a 500 budget)
    name, key = _name(), "TH-DSI:ana"
    worker = RateLimiter(1, 20, name=name, lease=7, lease_s=60)
    first = await asyncio.gather(*(worker.allow(key, store=store) for _ in range(4)))
    then = [await worker.allow(key, store=store) for _ in range(30)]
    assert sum(w == 0.0 for w in [*first, *then]) == 20

async def test_a_worker_leases_only_from_the_upper_half_of_a_full_bucket(store):
    name, key = _name(), "TH-DSI:ana"
    limiter = RateLimiter(1, 300, name=name, lease=7, lease_s=60)
    assert await limiter.allow(key, store=store) == 0.0  # one round trip: 1 token + 7 leased
    trips = _counting(limiter)
    assert [await limiter.allow(key, store=store) for _ in range(15)] == [0.0] * 15
    assert trips[0] == 1  # 7 from the lease, then a round trip leasing 7 more, 7 of them spent
    small = RateLimiter(1, 3, name=_name(), lease=7, lease_s=60)
    await small.allow(key, store=store)
    trips = _counting(small)
    await small.allow(key, store=store)
    assert trips[0] == 1  # 2 tokens left of 3: below the upper half, nothing leased


async def test_tokens_leased_and_held_keep_the_bucket_from_refilling_past_burst(store):
    name, key = _name(), "TH-DSI:ana"
    # 100 tokens a second: the bucket is full again at once, less what worker A may still spend
    worker_a = RateLimiter(6000, 20, name=name, lease=7, lease_s=60)
    worker_b = RateLimiter(6000, 20, name=name, lease=0)
    assert await worker_a.allow(key, store=store) == 0.0  # A spent 1 and holds 7
    await asyncio.sleep(0.5)
    # connected first: the bucket's key lives 1.2 s past B's call (a loaded CI took longer to connect)
    bucket = Redis(unix_socket_path=store.server.socket, decode_responses=True)
    try:
        bucket.ping()
        assert await worker_b.allow(key, store=store) == 0.0
        state = bucket.hgetall(f"lintas:ratelimit:{name}:{key}")
    finally:
        bucket.close()
    assert (float(state["tokens"]), float(state["held"])) == (12.0, 7.0)  # 20 - 7 held - B's 1
