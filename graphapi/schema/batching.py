"""A per-request batching cache that waits for a whole response level: :class:`LevelBatcher`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any


class LevelBatcher:
    """A per-request batching cache for ``id -> value`` (protected?, names to scrub). Unlike a
    DataLoader, which dispatches on the next loop iteration, it lets a few iterations pass first,
    so the fields of one response level that graphql-core resolves over several iterations still
    share one round trip.

    ``load(keys)`` returns ``{key: value}``; a key it leaves out reads ``default``. A failed load
    hands its error to every waiter of that batch and is asked again next time."""

    TICKS = 4

    def __init__(self, load: Callable[[list[str]], Awaitable[Mapping[str, Any]]], default: Any = None) -> None:
        self._load = load
        self._default = default
        self._cache: dict[str, asyncio.Future[Any]] = {}
        self._pending: list[str] = []
        self._task: asyncio.Task[None] | None = None

    async def load(self, key: str) -> Any:
        fut = self._cache.get(key)
        if fut is None or fut.cancelled():
            fut = self._cache[key] = asyncio.get_running_loop().create_future()
            self._pending.append(key)
            if self._task is None:
                self._task = asyncio.ensure_future(self._dispatch())
        return await fut

    async def load_many(self, keys: list[str]) -> list[Any]:
        """The values of ``keys``, in order: one batch for those not asked yet, no task per key
        (a level of a big response asks hundreds)."""
        futures = []
        for key in keys:
            fut = self._cache.get(key)
            if fut is None or fut.cancelled():
                fut = self._cache[key] = asyncio.get_running_loop().create_future()
                self._pending.append(key)
            futures.append(fut)
        if self._pending and self._task is None:
            self._task = asyncio.ensure_future(self._dispatch())
        if all(f.done() and not f.cancelled() and f.exception() is None for f in futures):
            return [f.result() for f in futures]  # all answered (primed): no gathering future, no loop turn
        return list(await asyncio.gather(*futures))

    def prime(self, key: str, value: Any) -> None:
        """Record ``value`` for ``key`` as answered (a statement that read the records said it:
        no round trip); a key already asked keeps its answer."""
        if key not in self._cache:
            fut = self._cache[key] = asyncio.get_running_loop().create_future()
            fut.set_result(value)

    async def _dispatch(self) -> None:
        for _ in range(self.TICKS):
            await asyncio.sleep(0)
        keys, self._pending, self._task = self._pending, [], None
        try:
            found = await self._load(keys)
        except Exception as exc:  # every waiter gets the store's error
            for k in keys:
                fut = self._cache.pop(k)
                if not fut.done():
                    fut.set_exception(exc)
            return
        for k in keys:
            fut = self._cache[k]
            if not fut.done():  # a waiter cancelled (a sibling field failed the request): skip it
                fut.set_result(found.get(k, self._default))
