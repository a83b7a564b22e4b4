"""The circuit breaker's count, for a public load, of the views of agencies outside its audience
(issue 10, 2).

A load's count is per audience (docs/ontology.md, "shared identifiers"): the holders everyone may
see make the flag, and each agency's own view its mark. An AMBER load's new holders are seen only by
its audience, so it counts its audience's views. A CLEAR or GREEN load's are seen by every agency:
TH-DSI, seeing its 5 RED holders of a phone at the limit of 5, sees 6 once LA-POL links a GREEN
person to it, though neither the holders everyone may see (1) nor LA-POL's view (1) pass the limit.
Its view was counted only by TH-DSI's own next load linking the phone. So a public load counts the
other views too, the way the recount does when a flag lifts (``ingest/identifier_shared_views``: the
agencies seeing holders not everyone may see, owners of an item first, at most
:data:`graphapi.ingest.quarantine_recount.MAX_AGENCIES`, docs/security.md "Agencies"), and marks
those past the limit. The read is made only when the holders everyone may see together with those
they may not pass the limit (no agency's view can pass it otherwise). The load counts again at each
holder it names that it did not count (:class:`graphapi.ingest.holder_bounds.HolderBounds`), never
by those views' counts.
"""

from __future__ import annotations

from typing import Any

from graphapi.ingest.holder_bounds import HolderBounds
from graphapi.ingest.quarantine_recount import MAX_AGENCIES


async def other_marks(store: Any, bounds: HolderBounds, row: dict[str, Any], types: list[str],
                      owner: str) -> list[str]:
    """The agencies to mark of a counted identifier ``row`` (``HolderBounds.counted``'s: ``holders``
    everyone may see, ``hidden`` the others, not flagged) whose views pass the ``bounds``' limit,
    besides a public load's ``owner`` (counted with its audience) and those marked already. Nothing
    read (none) when the load is not public or no view can pass the limit (which tells a public
    loader the hidden total: docs/security.md, "Left open")."""
    limit = bounds.limit
    if not bounds.public or row["quarantined"] or row["holders"] > limit or row["holders"] + row["hidden"] <= limit:
        return []
    return await views_past(store, row, types, limit, [owner, *row["marks"]])


async def views_past(store: Any, row: dict[str, Any], types: list[str], limit: int, known: list[str]) -> list[str]:
    """The agencies not ``known`` whose views of identifier ``row`` (its ``holders`` everyone may
    see, with those not public each sees) pass ``limit``, at most :data:`MAX_AGENCIES`: only the
    views past the limit are read, before the cap (attack round a-79, 3: 32 owning agencies within
    it pushed a passing one out), as the recount's read. A public load's and a share's."""
    rows = await store.read("ingest/identifier_shared_views", {
        "id": row["id"], "types": types, "known": sorted(set(known)), "at": limit - row["holders"] + 1,
        "max": MAX_AGENCIES})
    return sorted(str(r["agency"]) for r in rows)
