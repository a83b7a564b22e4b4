"""Let go of the apps a test built: library caches that outlive them.

FastAPI (0.165) classifies each endpoint and dependency callable in three module-level LRU caches of
4,096 entries each (``fastapi.dependencies.models``), keyed by the callable: strawberry's router's
endpoints are closures over the router, so every ``create_app`` of a worker stayed alive (its router,
its strawberry and GraphQL schemas, about 50,000 objects each). A worker's heap grew to millions of
objects over its files (2.1 million after four HTTP test files on the embedded store), and each full
collection of the cyclic GC scanned them all: seconds, late in a worker, inside whatever small test
set it off. strawberry's ``Schema.get_type_by_name`` / ``get_directive_by_name`` are LRU caches on
methods, keyed by the schema too. A served process builds one app, so only the tests need this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.dependencies import models as fastapi_models
from strawberry.schema.schema import Schema


def _caches() -> list[Callable[..., Any]]:
    """The caches that hold built apps, those this FastAPI and strawberry have (names may change)."""
    found = [getattr(fastapi_models, name, None) for name in (
        "_is_gen_callable_cached", "_is_async_gen_callable_cached", "_is_coroutine_callable_cached")]
    found += [getattr(Schema, name, None) for name in ("get_type_by_name", "get_directive_by_name")]
    return [cache for cache in found if callable(getattr(cache, "cache_clear", None))]


CACHES = _caches()


def let_go_of_built_apps() -> None:
    """Empty the caches that keep every app built so far alive (cheap: a few thousand entries)."""
    for cache in CACHES:
        cache.cache_clear()
