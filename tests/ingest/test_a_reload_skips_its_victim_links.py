"""A reload of the same file skips its victim links, their victimMarkOwners kept (k-fix58).

Every batch stating a victim mark (graphapi/ingest/victim_marks.py) wrote ``victimMarkOwners`` on
its INVOLVED_IN / HELD_AT links and so, as every write of a relationship does, cleared the digest
the link was created with: a reload of the same file compared all of them whole (the golden
samples: 236 INVOLVED_IN and 139 HELD_AT links without a digest after one load), where the reload
of any other link sends only its id and digest (tests/ingest/test_relationship_digests.py). Now
the statement writes only links whose list lacks one of the batch's owners, and a link the batch
created keeps its digest: its owners are its creating record's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.bench.load import TimedStore
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

SAMPLE = Path(__file__).resolve().parents[2] / "seed" / "samples" / "cases.synthetic.csv"
TH = Provenance(owner="TH-DSI", tlp="GREEN", seen="2026-03-01T00:00:00")
KH = Provenance(owner="KH-NP", tlp="GREEN", seen="2026-03-01T00:00:00")


def _cases(tmp_path: Path) -> MappedCsvReader:
    """The first 12 cases rows: victims' INVOLVED_IN and HELD_AT links among others."""
    path = tmp_path / "cases.csv"
    path.write_text("".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:13]), encoding="utf-8")
    return MappedCsvReader(load_mapping("cases"), [path])


async def _victim_links(store) -> dict[str, tuple[tuple[str, ...], bool]]:
    """Each link carrying victimMarkOwners: its owners (sorted), and whether it keeps a digest."""
    (row,) = await store.read("admin/snapshot")
    return {str(r["props"]["id"]): (tuple(sorted(r["props"]["victimMarkOwners"])), "digest" in r["props"])
            for r in row["relationships"] if r.get("type") and r["props"].get("victimMarkOwners")}


async def test_a_reload_of_the_same_file_sends_no_victim_link_to_add_relationships(backend_empty_store, tmp_path):
    await run_load(backend_empty_store, _cases(tmp_path), source="cases", provenance=TH)
    first = await _victim_links(backend_empty_store)
    counted = TimedStore(backend_empty_store)

    again = await run_load(counted, _cases(tmp_path), source="cases", provenance=TH)

    assert (again.relationships_written, counted.calls["ingest/add_relationships"]) == (0, 0)
    assert await _victim_links(backend_empty_store) == first
    assert len(first) >= 4 and set(first.values()) == {(("TH-DSI",), True)}


async def test_another_agencys_load_saying_the_mark_adds_it_to_the_owners(backend_empty_store, tmp_path):
    await run_load(backend_empty_store, _cases(tmp_path), source="cases", provenance=TH)
    first = await _victim_links(backend_empty_store)

    await run_load(backend_empty_store, _cases(tmp_path), source="kh-cases", provenance=KH)

    assert await _victim_links(backend_empty_store) == {rid: (("KH-NP", "TH-DSI"), False) for rid in first}
