"""Choose and open the backend: Neo4j when ``NEO4J_URI`` is set, else the embedded FalkorDB."""

from __future__ import annotations

from graphapi.settings import Settings, get_settings
from graphapi.store.base import GraphStore


async def open_store(settings: Settings | None = None) -> GraphStore:
    """Open the configured store. Raises ``StoreUnavailable`` if the embedded server cannot start.

    Neo4j connects lazily: an unreachable Neo4j shows at the first statement or ``ping()``.
    """
    settings = settings or get_settings()
    if settings.backend == "neo4j":
        from graphapi.store.neo4j import Neo4jStore

        return await Neo4jStore.open(settings.neo4j, settings.statement_timeout_ms, settings.max_connections)
    from graphapi.store.falkordb import EmbeddedStore

    return await EmbeddedStore.open(
        settings.data_dir, settings.graph, settings.statement_timeout_ms, settings.max_connections
    )
