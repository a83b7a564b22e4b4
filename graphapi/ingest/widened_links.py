"""The links through which a widened holder may take an identifier past the breaker's limit.

A holder seen by agencies that did not see it (an owner's MOD widening it in place, a DEL's or a
replace's re-own to a wider statement) adds a holder only to the views of those agencies, and to
each only through a link that view may see (the rule of the breaker's count,
``ingest/identifier_holders``). Following every link of the holder, other agencies' hidden ones
too, made the widening's note and count (their writes and reads) tell the loader whether another
agency hid a link on its holder (attack round a-95, 1 and 2: VN-MPS's RED link from LA-POL's
holder to VN-MPS's phone added 2 writes to LA-POL's MOD). So only the links a gaining agency may
see are followed (``ingest/linked_identifiers_gained``), whatever the links it may not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.store.base import GraphStore

#: Holders per read.
BATCH = 1_000

#: Who sees an item: its agencies, None for everyone (:func:`graphapi.ontology.tlp.audience`).
Audience = frozenset[str] | None


def gain(before: Audience, after: Audience) -> dict[str, Any]:
    """The agencies gaining an item seen by ``before`` and now by ``after`` (None: everyone), as a
    row of ``ingest/linked_identifiers_gained``: ``gained`` None when every agency outside
    ``before`` gains it. ``before`` None (seen by everyone already): nobody gains it."""
    if before is None:
        return {"gained": [], "before": []}
    if after is None:
        return {"gained": None, "before": sorted(before)}
    return {"gained": sorted(after - before), "before": []}


async def gained_links(store: GraphStore, gains: Mapping[str, Mapping[str, Any]],
                       types: Iterable[str]) -> list[dict[str, str]]:
    """The links (``start``: the holder, ``end``: the node it links to) of the linking ``types``
    from holders ``gains`` (id -> :func:`gain`'s row) that an agency gaining the holder may see."""
    rows = [{"id": h, **g} for h, g in gains.items() if g["gained"] is None or g["gained"]]
    kinds, out = sorted(types), []
    for i in range(0, len(rows), BATCH):
        out += [{"start": r["h"], "end": r["i"]} for r in await store.read(
            "ingest/linked_identifiers_gained", {"rows": rows[i:i + BATCH], "types": kinds})]
    return out
