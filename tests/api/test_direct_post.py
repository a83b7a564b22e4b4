"""A GraphQL POST goes from the security gate straight to strawberry's view, past FastAPI's
routing and dependency solving (issue 14); other requests are routed by FastAPI as before."""

from __future__ import annotations

import pytest
from solved_dependencies import count_solved_dependencies

from graphapi.schema.context import Context


@pytest.fixture
def solved(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return count_solved_dependencies(monkeypatch)


async def test_a_graphql_post_solves_no_fastapi_dependencies(gql, solved):
    body = await gql('{ entity(id: "cmp-lucky-dragon") { lintasId caption } }')
    assert body["data"]["entity"]["lintasId"] == "cmp-lucky-dragon" and solved == []


async def test_other_requests_are_still_routed_by_fastapi(api, solved):
    assert (await api.get("/healthz")).json() == {"status": "ok"}
    assert solved == ["/healthz"]


async def test_a_graphql_post_context_is_filled_as_fastapis_route_filled_it(gql, monkeypatch):
    seen: dict[str, object] = {}
    real = Context.given_entities

    async def spy(self: Context, given):
        seen.update(path=self.request.url.path, status=self.response.status_code, tasks=self.background_tasks.tasks)
        return await real(self, given)

    monkeypatch.setattr(Context, "given_entities", spy)
    await gql('{ entity(id: "cmp-lucky-dragon") { lintasId } }')
    assert seen == {"path": "/graphql", "status": None, "tasks": []}
