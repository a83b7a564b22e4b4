"""An agency's statements follow its sharing (per-value provenance: :mod:`graphapi.ingest.statements`).

After a ``share`` or ``unshare``, the acting agency's statements that follow their items take
the items' new level and agencies (``cypher/security/follow_sharing``); the ones that keep the
level they were said at (its records meant for fewer agencies than saw the item, attack round 5,
F5) are left as they are, so no sequence of shares and unshares opens them wider than they were
said (attack round 6, G2). Setting the level rather than adding to it makes a share cut short
and run again end where one run would. Other agencies' statements keep the audience their
agencies gave them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphapi.store import GraphStore
from graphapi.store.base import DEFAULT_BATCH_SIZE


async def follow_sharing(store: GraphStore, agency: str, items: Iterable[Mapping],
                         batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """``items``: the rows ``security/share_nodes`` / ``unshare_nodes`` (or the relationships'
    statements) returned: ``id``, ``tlp`` and ``sharedWith`` as they now are."""
    rows = [{"id": r["id"], "tlp": r.get("tlp"), "sharedWith": r.get("sharedWith") or None} for r in items]
    if rows:
        await store.write_batches("security/follow_sharing", rows, batch_size, params={"agency": agency})
