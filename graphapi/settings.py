"""Configuration, read once from the environment (``LINTAS_*`` and Neo4j's ``NEO4J_*``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Neo4jSettings(BaseSettings):
    """Neo4j connection; the Neo4j backend is used whenever ``NEO4J_URI`` is set."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str | None = None
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"


class Settings(BaseSettings):
    """Lintas settings. Every field maps to ``LINTAS_<FIELD>`` in upper case."""

    model_config = SettingsConfigDict(env_prefix="LINTAS_", extra="ignore")

    env: str = Field("production", description="'development' enables introspection and field suggestions.")
    data_dir: Path = Field(Path(".lintas"), description="Embedded store's data directory (socket, AOF/RDB, lock).")
    graph: str = Field("lintas", description="Graph name inside the embedded FalkorDB server.")
    batch_size: int = Field(5_000, ge=1, description="Rows per UNWIND batch in loaders.")
    statement_timeout_ms: int = Field(30_000, ge=100, description="Per-statement timeout passed to the store, ms.")
    max_connections: int = Field(16, ge=1, description="Connection pool size per process.")
    neo4j: Neo4jSettings = Field(default_factory=Neo4jSettings)

    @property
    def backend(self) -> str:
        """``neo4j`` when ``NEO4J_URI`` is set, else ``falkordb`` (the embedded default)."""
        return "neo4j" if self.neo4j.uri else "falkordb"


@cache
def get_settings() -> Settings:
    """The process's settings, read from the environment on first call."""
    return Settings()
