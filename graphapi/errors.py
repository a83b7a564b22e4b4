"""The project's exceptions and the one table mapping each to a GraphQL error code.

Expected failures of a request (unknown id, bad argument, store down) are ``LintasError``s;
the GraphQL layer shows their message and ``extensions.code`` and never a stack trace.
"""

from __future__ import annotations

from graphapi.ontology.errors import OntologyError
from graphapi.store.errors import (
    PendingRetractionUnfinished,
    StatementError,
    StoreError,
    StoreTimeout,
    StoreUnavailable,
    WriteLeaseBusy,
    WriteLeaseLost,
    WriteTimeout,
)


class LintasError(Exception):
    """Root of the expected request failures. ``code`` is the GraphQL ``extensions.code``."""

    code = "INTERNAL"


class NotFound(LintasError):
    """No visible entity has that id (hidden and missing look the same)."""

    code = "NOT_FOUND"
    #: The entity id the error is about (:meth:`no_entity`), so the id can be named as the caller
    #: gave it (a ``vid:`` token) by identity, never by rewriting the message's text.
    entity_id: str | None = None

    @classmethod
    def no_entity(cls, entity_id: str) -> NotFound:
        """``no entity with id '<id>'`` (cut to 80 characters: never echo megabytes back)."""
        shown = entity_id if len(entity_id) <= 80 else entity_id[:80] + "..."
        error = cls(f"no entity with id {shown!r}")
        error.entity_id = entity_id
        return error


class InvalidArgument(LintasError):
    """An argument is out of range or malformed; the message names the argument."""

    code = "BAD_USER_INPUT"


class Unavailable(LintasError):
    """The graph store cannot be reached; retry later."""

    code = "SERVICE_UNAVAILABLE"


class Forbidden(LintasError):
    """The principal lacks the role the operation needs."""

    code = "FORBIDDEN"


#: Exceptions from lower layers and the public error each becomes (message kept or replaced).
ERROR_TABLE: dict[type[Exception], tuple[str, str | None]] = {
    WriteLeaseBusy: (Unavailable.code, "other loads are writing to the graph store; try again shortly"),
    WriteLeaseLost: (Unavailable.code, "another load took the graph store's write lease during this one; this "
                                       "one stopped, part of it may be written and part not: run it again"),
    PendingRetractionUnfinished: (Unavailable.code, "a load killed earlier left a retraction half-way and it could "
                                                    "not be finished now, so this load stopped before writing over "
                                                    "it (part of it may be written): run it again"),
    StoreUnavailable: (Unavailable.code, "the graph store is unavailable; try again shortly"),
    # a load's write (a /loads job says this): waiting for another writer's lock, not asking too much
    WriteTimeout: ("TIMEOUT", "a write ran past the store's time limit, waiting for a lock another writer (a load, "
                              "a share) holds: nothing of this statement was written; try again once it ends"),
    StoreTimeout: ("TIMEOUT", "the query ran past the store's time limit: ask for less (fewer hops, a lower limit, "
                              "relationship types) or try again"),
    OntologyError: (InvalidArgument.code, None),
    StatementError: ("INTERNAL", "internal error"),
    StoreError: ("INTERNAL", "internal error"),
}


def public_error(exc: BaseException) -> tuple[str, str]:
    """``(code, message)`` safe to show a client for ``exc``; unknown exceptions are masked."""
    if isinstance(exc, LintasError):
        return exc.code, str(exc)
    for kind, (code, message) in ERROR_TABLE.items():
        if isinstance(exc, kind):
            return code, message or str(exc)
    return "INTERNAL", "internal error"
