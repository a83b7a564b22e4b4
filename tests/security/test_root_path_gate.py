"""Behind a prefix (``uvicorn --root-path /lintas``: scope path ``/lintas/graphql``, root path
``/lintas``) the security gate and the direct GraphQL POST match the path the router serves,
``/graphql``: the gate's rules hold as without the prefix (attack round 39b, 5)."""

import httpx
import pytest
from pydantic import SecretStr
from solved_dependencies import count_solved_dependencies
from starlette._utils import get_route_path

from graphapi.app import create_app
from graphapi.route_path import route_path
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings

SECRET = "root-path-secret-of-at-least-32-bytes!!"
QUERY = {"query": "{ __typename }"}


def _app(tmp_path, store, **settings):
    return create_app(Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), **settings), store=store)


def _bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token('ana', secret=SECRET, agency='TH-DSI', roles=('analyst',))}"}


def _client(app, root_path: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, root_path=root_path, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://lintas.test")


async def _statuses(app, base: str, root_path: str, headers: dict[str, str]) -> list[int]:
    async with _client(app, root_path) as c:
        return [(await c.post(f"{base}/graphql", json=QUERY, headers=headers)).status_code for _ in range(3)]


@pytest.mark.parametrize(("path", "root"), [("/lintas/graphql", "/lintas"), ("/graphql", "/lintas"),
                                            ("/lintas", "/lintas"), ("/lintasx/graphql", "/lintas"),
                                            ("/graphql", ""), ("/lintas/", "/lintas")])
def test_the_route_path_is_starlettes(path, root):
    scope = {"type": "http", "path": path, "root_path": root}
    assert route_path(scope) == get_route_path(scope)


async def test_without_a_prefix_the_rate_limit_refuses_the_second_request(empty_store, tmp_path):
    app = _app(tmp_path, empty_store, rate_limit_per_minute=1, rate_limit_burst=1)
    assert await _statuses(app, "", "", _bearer()) == [200, 429, 429]


async def test_behind_a_root_path_the_rate_limit_still_holds(empty_store, tmp_path):
    app = _app(tmp_path, empty_store, rate_limit_per_minute=1, rate_limit_burst=1)
    assert await _statuses(app, "/lintas", "/lintas", _bearer()) == [200, 429, 429]


async def test_behind_a_root_path_a_call_without_credentials_is_401(empty_store, tmp_path):
    app = _app(tmp_path, empty_store, rate_limit_per_minute=0)
    assert await _statuses(app, "/lintas", "/lintas", {}) == [401, 401, 401]


async def test_behind_a_root_path_a_batch_is_refused(empty_store, tmp_path):
    async with _client(_app(tmp_path, empty_store, rate_limit_per_minute=0), "/lintas") as c:
        response = await c.post("/lintas/graphql", json=[QUERY, QUERY], headers=_bearer())
    assert response.status_code == 400


async def test_behind_a_root_path_a_body_over_the_limit_is_413(empty_store, tmp_path):
    app = _app(tmp_path, empty_store, rate_limit_per_minute=0, max_body_bytes=1024)
    async with _client(app, "/lintas") as c:
        response = await c.post("/lintas/graphql", json={"query": "{ __typename }", "variables": {"x": "y" * 2000}},
                                headers=_bearer())
    assert response.status_code == 413


async def test_behind_a_root_path_a_graphql_post_answers_data(empty_store, tmp_path):
    async with _client(_app(tmp_path, empty_store, rate_limit_per_minute=0), "/lintas") as c:
        response = await c.post("/lintas/graphql", json=QUERY, headers=_bearer())
    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}


async def test_behind_a_root_path_a_graphql_post_goes_straight_to_the_view(empty_store, tmp_path, monkeypatch):
    solved = count_solved_dependencies(monkeypatch)
    async with _client(_app(tmp_path, empty_store, rate_limit_per_minute=0), "/lintas") as c:
        response = await c.post("/lintas/graphql", json=QUERY, headers=_bearer())
    assert response.json() == {"data": {"__typename": "Query"}} and solved == []
