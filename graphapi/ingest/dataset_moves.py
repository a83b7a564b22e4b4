"""A replace record (FtM MOD) is all its source now says of an item, under the datasets it names:
the statements the load's source made of the item under other datasets (``<source>:<dataset>``, or
the source itself) go with the record's other levels (``provenance/delete_other_levels``), and
their datasets leave the node's ``sources`` when no statement left names them (attack round a-83,
F9: a Person line MOD'd from ds1 to ds2 kept her ds1 name, the new one an alias, and ``ftm:ds1``).
The sources are withdrawn first, found from the statements still there, so a load killed before
the statements go finds them again and withdraws the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphapi.store.base import GraphStore


def _goes(stmt: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """Whether ``provenance/delete_other_levels`` deletes statement ``stmt`` (its properties) for ``row``."""
    source = str(stmt.get("source") or "")
    if stmt.get("id") == row["id"] or stmt.get("owner") != row["owner"] or str(stmt.get("line") or "") != row["line"]:
        return False
    if source == row["source"]:
        return True
    return ((source == row["base"] or source.startswith(row["base"] + ":")) and source not in row["sources"]
            and stmt.get("id") not in row["keep"])


async def withdraw_moved_datasets(store: GraphStore, rows: Sequence[Mapping[str, Any]], batch_size: int) -> None:
    """Before ``rows`` (``provenance/delete_other_levels``' rows) are applied: withdraw from each
    node the dataset sources whose every statement about it goes."""
    moving = sorted({r["entity"] for r in rows})
    by_entity: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        by_entity.setdefault(r["entity"], []).append(r)
    out: list[dict[str, Any]] = []
    for i in range(0, len(moving), batch_size):
        stored: dict[str, list[Mapping[str, Any]]] = {}
        for rec in await store.read("provenance/statements_of", {"ids": moving[i:i + batch_size]}):
            stored.setdefault(str(rec["props"].get("entity")), []).append(rec["props"])
        for entity, stmts in stored.items():
            mine = by_entity[entity]
            going = [s for s in stmts if any(_goes(s, r) for r in mine)]
            staying = {str(s.get("source")) for s in stmts if not any(_goes(s, r) for r in mine)}
            bases = {r["base"] for r in mine}
            gone = sorted({str(s.get("source")) for s in going} - staying - bases)
            if gone:
                out.append({"entity": entity, "sources": gone})
    if out:
        await store.write_batches("provenance/withdraw_sources", out, batch_size)
