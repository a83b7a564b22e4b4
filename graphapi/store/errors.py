"""Errors of the graph store layer."""


class StoreError(RuntimeError):
    """The graph store failed: a statement error reported by the backend."""


class StoreUnavailable(StoreError):
    """The graph store cannot be reached (server down, socket gone, credentials refused)."""


class StoreTimeout(StoreError):
    """A statement ran past the store's time limit (``LINTAS_STATEMENT_TIMEOUT_MS``): the request
    asked too much, or the server is overloaded; not a bug."""


class WriteTimeout(StoreTimeout):
    """A write ran past the store's time limit, most likely waiting for a lock another writer holds
    (Neo4j): asking for less does not help, waiting for that writer does."""


class WriteLeaseBusy(StoreError):
    """Another writer held the store's write lease for longer than a writer may wait
    (``graphapi.ingest.write_lease``)."""


class WriteLeaseLost(StoreError):
    """The holder's write lease lapsed and another writer took it: what it read may be stale, so
    it writes nothing more (``graphapi.ingest.write_lease``)."""


class PendingRetractionUnfinished(StoreError):
    """A load killed earlier left a retraction half-way (a pending mark) and this writer could not
    finish it: it writes nothing past the mark (the mark's finish, run later, would take back what
    it wrote), so the load stops and its rerun finishes the mark first
    (``graphapi.ingest.pending_retractions``)."""


class StatementError(ValueError):
    """A ``.cypher`` file is malformed, unknown, or rendered with bad placeholders."""
