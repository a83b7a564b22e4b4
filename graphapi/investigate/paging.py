"""Relay paging arguments (the Relay Cursor Connections spec): ``first``/``after`` page forward,
``last``/``before`` backward, checked once for every keyset connection (relationships, timeline,
audit entries) so each reads them alike.

One direction a request: ``first`` with ``after``, or ``last`` with ``before``; mixing them is
InvalidArgument (the spec allows it but says it is confusing, and no client needs it). Neither
``first`` nor ``last``: the first ``DEFAULT_PAGE`` items.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_range

#: Page size when neither ``first`` nor ``last`` is given.
DEFAULT_PAGE = 20
#: The audit trail's default page (auditEntries, auditTrail): entries are small and read in runs.
AUDIT_DEFAULT_PAGE = 100


@dataclass(frozen=True)
class PageRequest:
    """``size`` items from ``cursor`` (None: from the start, or from the end when ``backward``)."""

    size: int
    cursor: str | None
    backward: bool


def page_request(first: int | None, after: str | None, last: int | None, before: str | None,
                 max_size: int, default: int = DEFAULT_PAGE) -> PageRequest:
    """The page the Relay arguments ask for; ``first``/``last`` 1..``max_size``.
    Raises InvalidArgument when forward and backward arguments are mixed or a size is out of range."""
    if last is None and before is None:
        return PageRequest(check_range("first", default if first is None else first, 1, max_size), after, False)
    if first is not None or after is not None:
        raise InvalidArgument("page forward (first, after) or backward (last, before), not both")
    return PageRequest(check_range("last", default if last is None else last, 1, max_size), before, True)
