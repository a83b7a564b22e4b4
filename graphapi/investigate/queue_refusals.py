"""Why the search queue (:mod:`graphapi.investigate.search_queue`) refuses a search before the
store: each an expected failure of the request, a GraphQL error with its code, never a 500."""

from __future__ import annotations

import contextlib

from graphapi.errors import LintasError


class SearchesInFlight(LintasError):
    """The principal already has its limit of searches waiting or running."""

    code = "RATE_LIMITED"

    def __init__(self, limit: int) -> None:
        super().__init__(f"you already have {limit} search{'es' if limit > 1 else ''} waiting or running (at most "
                         f"{limit} at once, LINTAS_SEARCH_IN_FLIGHT); retry when one ends")


class SearchQueueBusy(LintasError):
    """The search's turn did not come within LINTAS_SEARCH_WAIT_S."""

    code = "RATE_LIMITED"

    def __init__(self, wait_s: float) -> None:
        # the same text whatever is ahead: what another agency runs is none of the caller's, but
        # "the searches ahead" was untrue behind its coTravelGroups read (attack round a-81, 1)
        super().__init__(f"the searches and coTravelGroups reads ahead of yours (taken in turn between agencies) did "
                         f"not end within {wait_s:g} s (LINTAS_SEARCH_WAIT_S); retry later")


class SearchQueueFault(LintasError):
    """The queue's files could not be written (a full disk, an I/O error on the data directory)."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__("the search queue's files on the server could not be written; retry later")


@contextlib.contextmanager
def faults_refused():  # noqa: ANN202
    """A failure of the queue's files as :class:`SearchQueueFault`: an expected refusal, not a 500
    (attack round a-92, 3)."""
    try:
        yield
    except OSError as failed:
        raise SearchQueueFault from failed


class ClientGone(LintasError):
    """The client hung up while its search waited: nobody would read the answer."""

    code = "CLIENT_CLOSED_REQUEST"

    def __init__(self) -> None:
        super().__init__("the client closed the request before its search ran")
