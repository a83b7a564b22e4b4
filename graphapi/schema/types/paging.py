"""What every Lintas connection says of its paging (Relay Cursor Connections spec): the
arguments' description, shared so each connection's field reads alike, and its ``PageInfo``."""

from __future__ import annotations

from strawberry import relay

from graphapi.investigate.paging import DEFAULT_PAGE

#: The keyset connections' paging arguments (relationships, timeline, audit entries).
PAGING_ARGUMENTS = (
    f"Paging (Relay): `first` (1..100, {DEFAULT_PAGE} when neither it nor `last` is given) items after the "
    "cursor `after`, or the `last` items before the cursor `before`, still oldest first; not both directions "
    "at once. `hasPreviousPage` is true on a page after a cursor (`hasNextPage` on one before a cursor). A "
    "cursor not of this field is BAD_USER_INPUT."
)


def page_info(edges: list, has_next: bool, has_previous: bool) -> relay.PageInfo:
    """The ``PageInfo`` of a page whose ``edges`` carry a ``cursor``: their first and last."""
    return relay.PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
