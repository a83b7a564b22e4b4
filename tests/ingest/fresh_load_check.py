"""The differential check of FtM delta loads (attack round a-69): apply the delta loads, read the
graph, clear, load the lines that survive them fresh, and compare. A delta must leave what a fresh
load of its surviving lines makes (nodes, their values, links); timestamps, record ids, digests,
captions and search fields aside, and statements read only through the values they give."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.statements import LINE_REFERENT, Statement
from graphapi.ingest.writer import Provenance

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
_SKIP = {"firstSeen", "lastSeen", "recordId", "digest", "caption"}


async def unmark_lines(store: Any) -> None:
    """Drop every statement's line marks (``lineReferent``): the statements as a store loaded
    before lines were marked holds them."""
    [snap] = await store.read("admin/snapshot")
    for node in snap["nodes"]:
        if "Statement" in node["labels"]:
            stmt = Statement.from_props(node["props"])
            stmt.entries = {k: v for k, v in stmt.entries.items() if k[0] != LINE_REFERENT}
            await store.write("provenance/write_statements", {"rows": [stmt.row(node["props"]["id"])]})


def op(kind: str, entity: dict[str, Any], **props: list[str]) -> dict[str, Any]:
    """A delta line ``kind`` (ADD, MOD, DEL) of ``entity`` with ``props`` in place of its own."""
    return {"op": kind, "entity": {**entity, "properties": {**entity["properties"], **props}}}


async def load(store: Any, tmp_path: Path, name: str, *lines: dict[str, Any]) -> Any:
    """Load FtM ``lines`` as one file ``name``; checks rows read = loaded + rejected."""
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    summary = await run_load(store, FtmReader([path], source="ftm"), source="ftm", provenance=PROV)
    assert summary.rows_read == summary.rows_loaded + summary.rows_rejected
    return summary


async def graph(store: Any) -> tuple[dict[str, Any], set[tuple[str, str, str]]]:
    """The nodes (id -> labels and values) and links (type, from, to) of the store."""
    [snap] = await store.read("admin/snapshot")
    nodes = {n["props"]["id"]: (sorted(n["labels"]), {
        k: sorted(v, key=str) if isinstance(v, list) else v for k, v in n["props"].items()
        if k not in _SKIP and not k.startswith("search")}) for n in snap["nodes"] if "Statement" not in n["labels"]}
    return nodes, {(r["type"], r["from"], r["to"]) for r in snap["relationships"] if r.get("type")}


async def differences(store: Any, tmp_path: Path, *deltas: list[dict[str, Any]]) -> list[str]:
    """Load each delta (a list of delta lines) in turn, then what differs from a fresh load of the
    lines they leave (empty: none)."""
    await store.clear()
    alive: dict[str, dict[str, Any]] = {}
    for i, delta in enumerate(deltas):
        await load(store, tmp_path, f"d{i}.delta.json", *delta)
        for line in delta:
            if line["op"] == "DEL":
                alive.pop(line["entity"]["id"], None)
            else:
                alive[line["entity"]["id"]] = line["entity"]
    (got_nodes, got_links) = await graph(store)
    await store.clear()
    if alive:
        await load(store, tmp_path, "fresh.json", *alive.values())
    (want_nodes, want_links) = await graph(store)
    out = [f"node {k}: delta={got_nodes.get(k)} fresh={want_nodes.get(k)}"
           for k in sorted(set(got_nodes) | set(want_nodes)) if got_nodes.get(k) != want_nodes.get(k)]
    return out + [f"link {x}: {'delta' if x in got_links else 'fresh'} only" for x in sorted(got_links ^ want_links)]
