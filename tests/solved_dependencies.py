"""Which requests FastAPI solved dependencies for: a GraphQL POST goes from the gate straight to
strawberry's view and should solve none (the direct-post tests, at the root and behind a root path)."""

from __future__ import annotations

from typing import Any

import fastapi.routing


def count_solved_dependencies(monkeypatch: Any) -> list[str]:
    """Note the path of each request FastAPI solves dependencies for; returns that list, filled as
    requests come."""
    calls: list[str] = []
    real = fastapi.routing.solve_dependencies

    async def counted(*args, **kwargs):
        calls.append(kwargs["request"].url.path)
        return await real(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counted)
    return calls
