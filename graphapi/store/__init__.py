"""The graph store: the GraphStore protocol, its two backends, records and named statements."""

from graphapi.store.base import DEFAULT_BATCH_SIZE, BatchSummary, GraphStore, Row, StoreStats
from graphapi.store.errors import StatementError, StoreError, StoreTimeout, StoreUnavailable
from graphapi.store.factory import open_store
from graphapi.store.records import Node, Path, Relationship

__all__ = [
    "DEFAULT_BATCH_SIZE", "BatchSummary", "GraphStore", "Node", "Path", "Relationship", "Row",
    "StatementError", "StoreError", "StoreStats", "StoreTimeout", "StoreUnavailable", "open_store",
]
