"""Victim redaction in GraphQL responses, as one schema extension (no type has to know about it).

For a principal without the ``victim-data`` role, :class:`RedactVictims` wraps the resolvers of
the identifying fields (``graphapi.security.redaction.NODE_FIELDS`` on entities,
``RELATIONSHIP_FIELDS`` on relationships, also inside a relationship's ``properties`` map). Which
entities are protected is asked of the store once per response level through a batching cache
(statement ``security/protected_ids``). A redacted field reads null; where the schema makes the
field non-null it reads ``[]`` (lists) or the entity's ``lintasId`` (``caption``). The response
marks what was redacted in ``extensions.redacted``: ``{"<lintasId>": ["name", "birthDate", ...],
"<relationship id>": ["document"]}``.

Search needs nothing here: its statement leaves protected entities out before paging
(``graphapi.investigate.search``), so they are in no page, cursor or count.

Fields of principals holding ``victim-data`` are never wrapped (no extra round trip).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLList, GraphQLNonNull
from strawberry.extensions import SchemaExtension

from graphapi.security.redaction import NODE_FIELDS, RELATIONSHIP_FIELDS, may_see_victims, protected_ids

_NODE_FIELD_NAMES = {f for fields in NODE_FIELDS.values() for f in fields}


def _blank_for(return_type: Any, node_id: str) -> Any:
    if isinstance(return_type, GraphQLNonNull):
        return [] if isinstance(return_type.of_type, GraphQLList) else node_id
    return None


class _Batcher:
    """A per-request batching cache for ``id -> protected?``. Unlike a DataLoader, which dispatches
    on the next loop iteration, it lets a few iterations pass first, so the fields of one response
    level that graphql-core resolves over several iterations still share one round trip."""

    TICKS = 4

    def __init__(self, load: Callable[[list[str]], Awaitable[set[str]]]) -> None:
        self._load = load
        self._cache: dict[str, asyncio.Future[bool]] = {}
        self._pending: list[str] = []
        self._task: asyncio.Task[None] | None = None

    async def load(self, key: str) -> bool:
        fut = self._cache.get(key)
        if fut is None:
            fut = self._cache[key] = asyncio.get_running_loop().create_future()
            self._pending.append(key)
            if self._task is None:
                self._task = asyncio.ensure_future(self._dispatch())
        return await fut

    async def load_many(self, keys: list[str]) -> list[bool]:
        return list(await asyncio.gather(*(self.load(k) for k in keys)))

    async def _dispatch(self) -> None:
        for _ in range(self.TICKS):
            await asyncio.sleep(0)
        keys, self._pending, self._task = self._pending, [], None
        try:
            found = await self._load(keys)
        except Exception as exc:  # every waiter gets the store's error
            for k in keys:
                self._cache.pop(k).set_exception(exc)
            return
        for k in keys:
            self._cache[k].set_result(k in found)


class RedactVictims(SchemaExtension):
    """Blank victims' identifying fields for principals without ``victim-data`` (module docstring)."""

    def __init__(self) -> None:
        self._loader: _Batcher | None = None
        self._redacted: dict[str, set[str]] = {}

    def _protected(self, info: Any) -> _Batcher:
        if self._loader is None:
            ctx = info.context

            async def load(ids: list[str]) -> set[str]:
                return await protected_ids(ctx.store, ctx.principal, ids)

            self._loader = _Batcher(load)
        return self._loader

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        node = getattr(root, "_node", None)
        rel = getattr(root, "_rel", None)
        name = info.field_name
        if node is not None and name in _NODE_FIELD_NAMES:
            fields = {f for label in node.labels for f in NODE_FIELDS.get(label, ())}
            if name in fields and not may_see_victims(info.context.principal):
                return self._guard(node.id, node.id, name, _next, root, info, args, kwargs)
        elif rel is not None and name in (*RELATIONSHIP_FIELDS.get(rel.type, ()), "properties"):
            if RELATIONSHIP_FIELDS.get(rel.type) and not may_see_victims(info.context.principal):
                return self._guard(rel.start, rel.id, name, _next, root, info, args, kwargs)
        return _next(root, info, *args, **kwargs)

    async def _guard(
        self, protected_id: str, shown_id: str, name: str, _next: Callable[..., Any], root: Any, info: Any,
        args: tuple, kwargs: dict,
    ) -> Any:
        value = _next(root, info, *args, **kwargs)
        if inspect.isawaitable(value):
            value = await value
        if not await self._protected(info).load(protected_id):
            return value
        rel = getattr(root, "_rel", None)
        if name == "properties" and rel is not None and isinstance(value, dict):
            blanked = [f for f in RELATIONSHIP_FIELDS.get(rel.type, ()) if value.get(f) is not None]
            if not blanked:
                return value
            self._redacted.setdefault(shown_id, set()).update(blanked)
            return {**value, **dict.fromkeys(blanked)}
        if value is None or value == []:
            return value
        self._redacted.setdefault(shown_id, set()).add(name)
        if rel is None and name == "caption":
            return shown_id
        return _blank_for(info.return_type, shown_id)

    def get_results(self) -> dict[str, Any] | Awaitable[dict[str, Any]]:
        if not self._redacted:
            return {}
        return {"redacted": {k: sorted(v) for k, v in sorted(self._redacted.items())}}
