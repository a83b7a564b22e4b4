"""Writers take turns: a flush, a retraction or a share holds the store's write lease while it
reads items and writes them back, and a writer drops what it cached once another has written
(attack round 8, R2: the owner's narrow re-ingest and a widening load ran at once; each wrote what
it had read before the other's write, a widening was lost and the narrow statement kept following
the node, which the owner's next share opened to LA-MPS)."""

import asyncio
import os
import subprocess
import sys
import time

import pytest

from graphapi.ingest import write_lease
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.write_lease import LEASE_S, NAME, TRUSTED_S, WriteLease, WriteLeaseLost, _alive_here, _host
from graphapi.ingest.writer import Writer, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security import Principal
from graphapi.security.share import share
from graphapi.store.errors import StoreError
from graphapi.store.falkordb import EmbeddedStore

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
LA = Principal("analyst-la", agency="LA-MPS", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
KH_ONLY = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",))
WIDE = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP", "VN-MPS"))


async def test_a_second_writer_waits_until_the_first_gives_the_lease_back(backend_empty_store):
    first, second = WriteLease(backend_empty_store), WriteLease(backend_empty_store)
    order = []

    async def later():
        async with second.held():
            order.append("second")

    async with first.held():
        waiting = asyncio.ensure_future(later())
        await asyncio.sleep(0.3)
        order.append("first done")
    await waiting
    assert order == ["first done", "second"]


async def _take(store, holder: str, hours: float = 1) -> dict:
    [row] = await store.write("ingest/acquire_write_lease", {
        "name": NAME, "holder": holder, "dead": "", "lease_ms": int(hours * 3_600_000), "wait_ms": 5_000})
    return row


async def test_a_lease_whose_holder_on_this_host_is_gone_is_taken_at_once(backend_empty_store):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    await _take(backend_empty_store, f"{_host()}:{int(gone.stdout)}:feedfacecafe")
    started = time.monotonic()
    async with WriteLease(backend_empty_store).held() as stale:
        pass
    assert time.monotonic() - started < 5  # not the hour the dead holder took
    assert stale is True  # whatever the dead holder wrote, this writer's caches may not hold


async def test_a_held_lease_is_not_taken_by_another_live_writer(backend_empty_store):
    alive = f"{_host()}:{os.getpid()}:0123456789ab"
    taken = await _take(backend_empty_store, alive)
    refused = await _take(backend_empty_store, "other/1:1:x")
    assert (taken["acquired"], refused["acquired"], refused["holder"]) == (True, False, alive)
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": alive})


async def test_a_holder_whose_lease_lapsed_and_was_taken_writes_nothing_more(backend_empty_store):
    lease = WriteLease(backend_empty_store)
    fenced = lease.fenced()
    with pytest.raises(WriteLeaseLost):
        async with lease.held():
            await backend_empty_store.write("ingest/renew_write_lease", {  # lapses at once
                "name": NAME, "holder": lease.holder, "lease_ms": -1000})
            assert (await _take(backend_empty_store, "other/1:1:x"))["acquired"]
            lease._trusted_until = 0.0  # as after a pause longer than a renewal covers
            await fenced.write("ingest/count_graph")
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "other/1:1:x"})


async def test_writers_waiting_for_the_lease_get_it_in_the_order_they_asked(backend_empty_store):
    first = await _take(backend_empty_store, "holder/1:1:a")
    early = await _take(backend_empty_store, "early/1:1:b")
    late = await _take(backend_empty_store, "late/1:1:c")
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "holder/1:1:a"})
    late_again = await _take(backend_empty_store, "late/1:1:c")  # asks first once free, but is second in line
    early_again = await _take(backend_empty_store, "early/1:1:b")
    assert (first["acquired"], early["acquired"], late["acquired"]) == (True, False, False)
    assert (late_again["acquired"], early_again["acquired"]) == (False, True)
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "early/1:1:b"})
    assert (await _take(backend_empty_store, "late/1:1:c"))["acquired"]
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "late/1:1:c"})


def _person(alias: str, passport: str | None = None) -> NodeRecord:
    props = {"name": "Charlie Three", "alias": [alias]}
    if passport:
        props["passportNumber"] = [passport]
    return NodeRecord("Person", "per-charlie", props)


async def test_a_writer_drops_what_it_cached_once_another_widened_the_node(backend_empty_store):
    narrow = Writer(backend_empty_store, provenance=KH_ONLY, source="graphql:TH-DSI")
    await narrow.add(_person("Kh Only Alias", "PK445566"))
    await narrow.flush_nodes()
    await write_records(backend_empty_store, [_person("C3")], provenance=WIDE, source="ftm")  # another writer
    await narrow.add(_person("Kh Only Alias", "PK445566"))  # said again, from a cache of before the widening
    await narrow.close()
    [stored] = (await get_nodes(backend_empty_store, TH, ["per-charlie"])).values()
    assert sorted(stored.properties["sharedWith"]) == ["KH-NP", "VN-MPS"]
    await share(backend_empty_store, TH, ["per-charlie"], ["LA-MPS"])
    for reader in (VN, LA):
        [seen] = (await get_nodes(backend_empty_store, reader, ["per-charlie"])).values()
        assert (seen.properties.get("alias"), seen.properties.get("passportNumber")) == (["C3"], None)


class _Clock:
    """The lease's clock, moved on by hand: a stall of the holder that takes no real time."""

    def __init__(self, monkeypatch) -> None:
        self.skipped = 0.0
        real = write_lease._clock
        monkeypatch.setattr(write_lease, "_clock", lambda: real() + self.skipped)

    def stall(self, seconds: float) -> None:
        self.skipped += seconds


class _TakenAfterFirstBatch:
    """The store, where another writer takes the lease (lapsed while its holder stalled) once the
    holder's first batch is written (attack round 10, F1)."""

    def __init__(self, store, lease, clock: _Clock) -> None:
        self._store, self._lease, self._clock, self.batches = store, lease, clock, 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def write_batches(self, name, rows, *args, **kwargs):
        done = await self._store.write_batches(name, rows, *args, **kwargs)
        self.batches += 1
        await self._store.write("ingest/renew_write_lease", {"name": NAME, "holder": self._lease.holder,
                                                             "lease_ms": -1000})
        await _take(self._store, "other/1:1:x")
        self._clock.stall(2 * LEASE_S)  # the stall outlasted what the last renewal covers
        return done


async def test_a_holder_that_loses_the_lease_between_two_batches_writes_no_more_batches(backend_empty_store,
                                                                                         monkeypatch):
    lease = WriteLease(backend_empty_store)
    spy = _TakenAfterFirstBatch(backend_empty_store, lease, _Clock(monkeypatch))
    rows = [{"id": f"per-{i}", "props": {"name": f"P {i}"}} for i in range(3)]
    with pytest.raises(WriteLeaseLost):
        async with lease.held():
            await lease.fenced(spy).write_batches("ingest/update_nodes", rows, 1)
    assert spy.batches == 1
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "other/1:1:x"})


class _TakenJustBeforeTheWrite:
    """The store, where the holder stalls after its last check and before its statement reaches
    the store, long enough for its lease to lapse and another writer to take it: the window a
    check in a query of its own cannot close (attack round 10)."""

    def __init__(self, store, lease) -> None:
        self._store, self._lease = store, lease

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def _stall(self) -> None:
        await self._store.write("ingest/renew_write_lease", {"name": NAME, "holder": self._lease.holder,
                                                             "lease_ms": -1000})
        await _take(self._store, "other/1:1:x")
        self._lease._trusted_until = 0.0

    async def write(self, name, params=None, **kw):
        await self._stall()
        return await self._store.write(name, params, **kw)

    async def write_batches(self, name, rows, *args, **kwargs):
        await self._stall()
        return await self._store.write_batches(name, rows, *args, **kwargs)


PEOPLE = [{"id": f"per-stalled-{i}", "props": {"name": f"Stalled {i}", "owner": "TH-DSI", "tlp": "RED"}}
          for i in range(3)]


@pytest.mark.parametrize("call", ["write", "write_batches"])
async def test_a_holder_that_stalls_between_its_check_and_its_write_writes_nothing(backend_empty_store, call):
    lease = WriteLease(backend_empty_store)
    fenced = lease.fenced(_TakenJustBeforeTheWrite(backend_empty_store, lease))
    with pytest.raises(WriteLeaseLost):
        async with lease.held():
            if call == "write":
                await fenced.write("ingest/merge_nodes", {"rows": PEOPLE}, labels="Person")
            else:
                await fenced.write_batches("ingest/merge_nodes", PEOPLE, 5, labels="Person")
    found = await backend_empty_store.read("ingest/existing_node_ids", {"ids": [p["id"] for p in PEOPLE]})
    assert found == []
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "other/1:1:x"})


async def test_a_load_whose_lease_was_taken_while_it_trusted_it_fails_instead_of_ending_well(backend_empty_store):
    # attack round 12, F7: another writer took the lease within the holder's trust window (it
    # took the holder for dead); the fence dropped the holder's batch, which came back as written
    lease = WriteLease(backend_empty_store)
    with pytest.raises(WriteLeaseLost, match="some of what it sent may not be written"):
        async with lease.held():
            await backend_empty_store.write("ingest/acquire_write_lease", {
                "name": NAME, "holder": "other/1:1:x", "dead": lease.holder, "lease_ms": 3_600_000, "wait_ms": 5_000})
            await lease.fenced().write_batches("ingest/merge_nodes", PEOPLE, 5, labels="Person")
    assert await backend_empty_store.read("ingest/existing_node_ids", {"ids": [p["id"] for p in PEOPLE]}) == []
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "other/1:1:x"})


class _ReleaseFails:
    """The store, whose answer to giving the lease back is lost (a dropped connection)."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def write(self, name, params=None, **kw):
        if name == "ingest/release_write_lease":
            raise ConnectionError("connection dropped")
        return await self._store.write(name, params, **kw)


async def test_a_load_that_cannot_give_the_lease_back_fails_since_it_cannot_tell_its_writes_landed(
        backend_empty_store):
    # attack round 13, F7b: the answer that tells a dropped write was taken for "nothing lost"
    lease = WriteLease(_ReleaseFails(backend_empty_store))
    with pytest.raises(WriteLeaseLost, match="or the store could not say it did not"):
        async with lease.held():
            await lease.fenced().write_batches("ingest/merge_nodes", PEOPLE, 5, labels="Person")
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": lease.holder})


class _ReleaseReplyLost(_ReleaseFails):
    """The store, which gives the lease back but whose first answer to it is lost."""

    lost = False

    async def write(self, name, params=None, **kw):
        rows = await self._store.write(name, params, **kw)
        if name == "ingest/release_write_lease" and not self.lost:
            self.lost = True
            raise ConnectionError("connection dropped after the commit")
        return rows


async def test_a_load_whose_release_was_written_but_its_answer_lost_ends_well(backend_empty_store):
    # the retry found the lease free and took it for another writer's turn: a finished load failed
    lease = WriteLease(_ReleaseReplyLost(backend_empty_store))
    async with lease.held():
        await lease.fenced().write_batches("ingest/merge_nodes", PEOPLE, 5, labels="Person")
    taken = await _take(backend_empty_store, "writer-next")  # given back: the next writer takes it at once
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "writer-next"})
    assert taken["acquired"] is True


async def test_a_release_asked_again_after_another_writers_turn_is_not_released(backend_empty_store):
    await _take(backend_empty_store, "writer-a")
    released = {"name": NAME, "holder": "writer-a"}
    assert (await backend_empty_store.write("ingest/release_write_lease", released))[0]["released"] is True
    assert (await backend_empty_store.write("ingest/release_write_lease", released))[0]["released"] is True
    await _take(backend_empty_store, "writer-b")
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "writer-b"})
    assert (await backend_empty_store.write("ingest/release_write_lease", released))[0]["released"] is False


async def test_a_holder_of_another_machine_of_the_same_name_is_never_taken_for_dead():
    # F7: the initial pid namespace has the same inode on every Linux host; the boot id differs
    name, boot, ns = _host().split("/")
    assert len(boot) == 12 and boot != "?"
    assert _alive_here(f"{name}/{'0' * 12}/{ns}:999999999:feedfacecafe")
    assert not _alive_here(f"{_host()}:999999999:feedfacecafe")


async def test_a_fenced_write_of_the_holder_is_written(backend_empty_store):
    lease = WriteLease(backend_empty_store)
    async with lease.held():
        summary = await lease.fenced().write_batches("ingest/merge_nodes", PEOPLE, 2, labels="Person")
    assert [row["id"] for row in summary.returned] == [p["id"] for p in PEOPLE]
    found = await backend_empty_store.read("ingest/existing_node_ids", {"ids": [p["id"] for p in PEOPLE]})
    assert sorted(row["id"] for row in found) == [p["id"] for p in PEOPLE]


async def test_a_fenced_write_renews_the_holders_lease(backend_empty_store):
    lease = WriteLease(backend_empty_store)
    async with lease.held():
        await backend_empty_store.write("ingest/renew_write_lease", {  # lapses at once
            "name": NAME, "holder": lease.holder, "lease_ms": -1000})
        await lease.fenced().write_batches("ingest/merge_nodes", PEOPLE, 5, labels="Person")
        refused = await _take(backend_empty_store, "other/1:1:x")
    assert (refused["acquired"], refused["holder"]) == (False, lease.holder)


async def test_a_write_the_fence_refuses_fails_at_once_while_its_holder_still_trusts_the_lease(
        backend_empty_store):
    lease = WriteLease(backend_empty_store)
    with pytest.raises(WriteLeaseLost):
        async with lease.held():
            await backend_empty_store.write("ingest/acquire_write_lease", {
                "name": NAME, "holder": "other/1:1:x", "dead": lease.holder, "lease_ms": 3_600_000, "wait_ms": 5_000})
            with pytest.raises(WriteLeaseLost, match="refused this load's next write"):
                await lease.fenced().write("ingest/merge_nodes", {"rows": PEOPLE}, labels="Person")
    assert await backend_empty_store.read("ingest/existing_node_ids", {"ids": [p["id"] for p in PEOPLE]}) == []
    await backend_empty_store.write("ingest/release_write_lease", {"name": NAME, "holder": "other/1:1:x"})


class _Counting:
    """The store, counting the statements written through it by name."""

    def __init__(self, store) -> None:
        self._store, self.written = store, []

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def write(self, name, params=None, **kw):
        self.written.append(name)
        return await self._store.write(name, params, **kw)

    async def write_batches(self, name, rows, *args, **kwargs):
        self.written.append(name)
        return await self._store.write_batches(name, rows, *args, **kwargs)


async def test_a_holder_that_keeps_writing_sends_no_renewal_of_its_own(backend_empty_store, monkeypatch):
    clock, counting = _Clock(monkeypatch), _Counting(backend_empty_store)
    lease = WriteLease(counting)
    async with lease.held():
        for person in PEOPLE * 3:  # nine writes over two minutes, four lease times
            await lease.fenced().write("ingest/merge_nodes", {"rows": [person]}, labels="Person")
            clock.stall(TRUSTED_S * 0.8)
    assert "ingest/renew_write_lease" not in counting.written
    assert counting.written.count("ingest/merge_nodes") == 9


class _Slow(_Counting):
    """The store, each of whose writes takes longer than a renewal is trusted."""

    def __init__(self, store, clock: _Clock) -> None:
        super().__init__(store)
        self._clock = clock

    async def write_batches(self, name, rows, *args, **kwargs):
        self._clock.stall(TRUSTED_S * 2)
        return await super().write_batches(name, rows, *args, **kwargs)


async def test_a_write_that_came_back_after_the_trust_ran_out_is_not_followed_by_a_renewal(
        backend_empty_store, monkeypatch):
    slow = _Slow(backend_empty_store, _Clock(monkeypatch))
    lease = WriteLease(slow)
    async with lease.held():
        await lease.fenced().write_batches("ingest/merge_nodes", PEOPLE, 5, labels="Person")
    assert slow.written == ["ingest/acquire_write_lease", "ingest/merge_nodes", "ingest/release_write_lease"]


class _Failing:
    """The store, whose every write fails (a statement the store rejects)."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def write_batches(self, name, rows, *args, **kwargs):
        raise StoreError("Neo.ClientError.Statement.SyntaxError: not a lease matter")


async def test_a_holders_write_that_fails_otherwise_raises_its_own_error(backend_empty_store):
    lease = WriteLease(backend_empty_store)
    with pytest.raises(StoreError, match="not a lease matter") as raised:
        async with lease.held():
            await lease.fenced(_Failing(backend_empty_store)).write_batches("ingest/merge_nodes", PEOPLE, 5,
                                                                           labels="Person")
    assert not isinstance(raised.value, WriteLeaseLost)


async def test_a_writer_cancelled_while_asking_for_the_lease_leaves_it_free(backend_empty_store):
    # attack round 10, Q5: the store gave the lease, the cancellation landed before it was held
    class _SlowAnswer:
        def __init__(self, store) -> None:
            self._store = store

        def __getattr__(self, name):
            return getattr(self._store, name)

        async def write(self, name, params=None, **kw):
            rows = await self._store.write(name, params, **kw)
            if name == "ingest/acquire_write_lease":
                await asyncio.sleep(5)  # the answer arrives late; the request is cancelled meanwhile
            return rows

    slow = WriteLease(_SlowAnswer(backend_empty_store))
    task = asyncio.ensure_future(slow.held().__aenter__())
    await asyncio.sleep(0.5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    started = time.monotonic()
    async with WriteLease(backend_empty_store).held():
        pass
    assert time.monotonic() - started < 5


async def test_writers_asking_at_once_on_a_new_store_leave_one_holder_and_one_lease(tmp_path):
    # FalkorDB planned two first MERGEs of the lease before its label existed: each made a node of
    # its own and both held "the" lease (a fresh store; the source-turn test's flake). init_schema
    # now makes the label, its index and a unique constraint before any writer asks.
    store = await EmbeddedStore.open(tmp_path / "store", graph="fresh")
    try:
        await store.init_schema()
        rows = await asyncio.gather(*(store.write("ingest/acquire_write_lease", {
            "name": NAME, "holder": f"writer-{k}", "dead": "", "lease_ms": 60_000, "wait_ms": 5_000})
            for k in range(8)))
        assert [len(r) for r in rows] == [1] * 8
        assert sum(bool(r[0]["acquired"]) for r in rows) == 1
        [[leases]] = (await store._graph.query("MATCH (l:WriteLease) RETURN count(l)")).result_set
        assert leases == 1
    finally:
        await store.close()


async def test_a_store_holding_two_nodes_of_one_lease_keeps_one_and_writers_take_turns_again(tmp_path):
    # a store made before the fix may hold the pair the race made: every acquire answered two rows
    store = await EmbeddedStore.open(tmp_path / "store", graph="old")
    try:
        await store._graph.query("CREATE (:WriteLease {id: 'items', holder: '', until: 0}), "
                                 "(:WriteLease {id: 'items', holder: '', until: 0})")
        await store.init_schema()
        [[leases]] = (await store._graph.query("MATCH (l:WriteLease) RETURN count(l)")).result_set
        assert leases == 1
        async with WriteLease(store).held():
            assert (await _take(store, "another writer"))["acquired"] is False
    finally:
        await store.close()


async def test_a_dels_delete_whose_lease_node_is_gone_fails_as_a_lost_lease_not_an_internal_error(
        backend_empty_store, tmp_path, monkeypatch):
    # attack round 39a, 6: the fence answers no row when the lease node is gone (the store cleared
    # under a load), and unpacking the one row ingest/delete_nodes answers raised ValueError
    import json

    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.readers.ftm import FtmReader

    store = backend_empty_store
    anna = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}
    path = tmp_path / "t1.delta.json"
    path.write_text(json.dumps({"op": "DEL", "entity": anna}) + "\n", encoding="utf-8")
    await write_records(store, [NodeRecord("Person", "p-1", {"name": "Anna Schmidt"})], source="ftm")
    write = store.write

    async def cleared_first(name, *args, **kwargs):
        if name == "ingest/delete_nodes":
            await store.clear()  # the lease node goes with everything else
        return await write(name, *args, **kwargs)

    monkeypatch.setattr(store, "write", cleared_first)
    with pytest.raises(WriteLeaseLost, match="is gone"):
        await run_load(store, FtmReader([path], source="ftm"), source="ftm")
