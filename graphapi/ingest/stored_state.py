"""What the writer knows of stored nodes before it merges records into them.

A record that only repeats what the stored node holds (a phone named again by every call-record
row, a whole feed loaded again) changes nothing, and the writer need not read the node back nor
write it; one that repeats it from another source (a phone a call-record feed names after the
subscriber feed loaded it) only adds that source. ``ingest/node_probe`` asks the store exactly
that, per record, shipping the record's values rather than fetching the node's (reading and
re-writing endpoint nodes was about a quarter of a load); ``ingest/existing_nodes`` then reads
only the nodes whose merge needs the writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from graphapi.store.base import GraphStore


def lists_hold_lists(props: dict[str, Any], multiple: frozenset[str]) -> bool:
    """True if each list-valued property of ``props`` (named in ``multiple``) holds a list: only
    then does equality on the store mean what the writer's ``covered`` means (a scalar where a
    list belongs is merged as the writer decides, never taken as the same)."""
    for k in multiple:  # a loop, not all() over a generator: asked of every record a reload reads
        if k in props and type(props[k]) is not list:
            return False
    return True


async def read_stored_nodes(
    store: GraphStore,
    ids: Iterable[str],
    props_of: Callable[[str], dict[str, Any] | None],
    batch_size: int,
) -> dict[str, dict[str, Any]]:
    """The stored state of those of ``ids`` that exist: ``{id: {id, labels, props, same,
    sources_only}}``.

    ``props_of(id)``: the record's properties to compare, or None to read the node whatever it
    holds. A node whose stored values equal each of the record's comes back with ``same`` (its
    sources hold the record's) or ``sources_only`` (they lack some) and ``props: None`` (not
    read); every other stored node with both false and its properties. Raises the store's errors."""
    ids = list(ids)
    known: dict[str, dict[str, Any]] = {}
    differ: list[str] = []
    for i in range(0, len(ids), batch_size):
        rows = [{"id": nid, "props": props_of(nid)} for nid in ids[i:i + batch_size]]
        for row in await store.read("ingest/node_probe", {"rows": rows}):
            if row["same"] or row["sources_only"]:
                known[row["id"]] = {**row, "props": None}
            else:
                differ.append(row["id"])
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(differ), batch_size):
        for row in await store.read("ingest/existing_nodes", {"ids": differ[i:i + batch_size]}):
            out[row["id"]] = {**row, "same": False, "sources_only": False}
    out.update(known)
    return out
