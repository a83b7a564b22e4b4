"""The graph the shipped samples build, byte for byte (issue 14: a faster load path must build
"the same graph as today's path, byte for byte in a comparison test"): the gazetteers, then each
shipped sample through its mapping (seed/samples, seed/mappings and its partners' layouts), as
one canonical JSON whose digest is kept in ``golden/samples.json`` with counts per label and
relationship type that say where a difference is. Both backends must build the same graph.

A change meant to change the graph (a new property, another id) updates the file: run this
test with ``LINTAS_UPDATE_GOLDEN=1`` and commit ``golden/samples.json`` with the change."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.gazetteers import GazetteerReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.writer import Provenance

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "seed" / "samples"
PARTNERS = REPO / "seed" / "mappings" / "partners"
GOLDEN = Path(__file__).parent / "golden" / "samples.json"
#: (mapping, sample file): every shipped mapping with the sample written in its layout
FEEDS = [("cdr", "cdr"), ("transfers", "transfers"), ("crossings", "crossings"), ("cases", "cases"),
         (PARTNERS / "cdr-kh.yaml", "cdr-kh"), (PARTNERS / "transfers-fiu.yaml", "transfers-fiu"),
         (PARTNERS / "crossings-tm.yaml", "crossings-tm"), (PARTNERS / "cases-tp.yaml", "cases-tp")]
PROV = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",), seen="2026-03-01T00:00:00")


async def _build(store) -> dict[str, Any]:
    await run_load(store, GazetteerReader(), source="gazetteer", provenance=PROV)
    for mapping, sample in FEEDS:
        reader = MappedCsvReader(load_mapping(mapping), [SAMPLES / f"{sample}.synthetic.csv"])
        summary = await run_load(store, reader, source=f"sample-{sample}", provenance=PROV, batch_size=500)
        assert summary.rows_read == summary.rows_loaded + summary.rows_rejected
    (snapshot,) = await store.read("admin/snapshot")
    return snapshot


def _canonical(snapshot: dict[str, Any]) -> tuple[bytes, dict[str, int]]:
    """The snapshot as one canonical JSON text (nodes by id, relationships by type, ends and id;
    keys sorted), and the count of each label and relationship type."""
    nodes = sorted(({"labels": sorted(n["labels"]), "props": n["props"]} for n in snapshot["nodes"]),
                   key=lambda n: str(n["props"].get("id")))
    rels = sorted(snapshot["relationships"], key=lambda r: (r["type"], r["from"], r["to"], str(r["props"].get("id"))))
    counts = Counter(":".join(n["labels"]) for n in nodes) + Counter(r["type"] for r in rels)
    text = json.dumps({"nodes": nodes, "relationships": rels}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return text.encode(), dict(sorted(counts.items()))


async def test_the_shipped_samples_build_the_graph_they_built_before(backend_empty_store):
    text, counts = _canonical(await _build(backend_empty_store))
    digest = hashlib.sha256(text).hexdigest()
    if os.environ.get("LINTAS_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps({"digest": digest, "counts": counts}, indent=1) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert counts == golden["counts"]
    assert digest == golden["digest"], "same counts, other values: the load path changed what it writes"
