"""Errors of the graph store layer."""


class StoreError(RuntimeError):
    """The graph store failed: a statement error reported by the backend."""


class StoreUnavailable(StoreError):
    """The graph store cannot be reached (server down, socket gone, credentials refused)."""


class StatementError(ValueError):
    """A ``.cypher`` file is malformed, unknown, or rendered with bad placeholders."""
