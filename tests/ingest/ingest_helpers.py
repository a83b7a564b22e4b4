"""Helpers shared by the ingest tests (a module, not a conftest, so fixtures stay the lead's)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord

REPO = Path(__file__).resolve().parents[2]
#: /work/shared/data, found relative to the repository root (../shared/data/README.md).
SHARED_DATA = REPO.parent / "shared" / "data"
#: The repository's verbatim copies of it, read where it is not beside the clone: the tests never skip.
COPIES = {"ofac": REPO / "seed" / "ofac", "ftm": REPO / "tests" / "data" / "ftm"}


def data_dir(kind: str) -> Path:
    """The folder of the real public ``kind`` files (``ofac``, ``ftm``): ../shared/data's, else
    the repository's copy of it (:data:`COPIES`)."""
    shared = SHARED_DATA / kind
    return shared if shared.is_dir() else COPIES[kind]


def ftm_file(tmp_path: Path, *docs: dict[str, Any], name: str = "accounts.ftm.json") -> Path:
    """An FtM JSON-lines file of ``docs``, one entity a line."""
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


def account_ids(items: list[Any]) -> list[str]:
    """The ids of the BankAccount node records among a reader's ``items``, in order."""
    return [r.id for r in items if isinstance(r, NodeRecord) and r.label == "BankAccount"]


async def graph_counts(store: Any) -> tuple[int, int]:
    """(nodes, relationships) in the store."""
    rows = await store.read("ingest/count_graph")
    return int(rows[0]["nodes"]), int(rows[0]["relationships"])


async def node_props(store: Any, node_id: str) -> dict[str, Any]:
    """The stored properties of one node (empty dict if absent)."""
    rows = await store.read("ingest/existing_nodes", {"ids": [node_id]})
    return dict(rows[0]["props"]) if rows else {}


def read_mapped(tmp_path: Path, mapping: str, header: str, *rows: str) -> tuple[MappedCsvReader, list]:
    """Read ``rows`` under ``header`` with the shipped ``mapping``: the reader and its items,
    after checking that rows read = loaded + rejected."""
    path = tmp_path / f"{mapping}.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(mapping), [path])
    items = list(reader.records())
    assert reader.stats.loaded + reader.stats.rejected == reader.stats.rows == len(rows)
    return reader, items


class Records:
    """A reader of the given records (a load's records built by hand), as ``run_load`` takes one."""

    def __init__(self, *items: Any) -> None:
        self.items = items
        self.stats = ReadStats(rows=len(items))

    def records(self):
        yield from self.items


async def load_transfers_and_ftm(store: Any, tmp_path: Path, header: str, rows: list[str], entity: dict[str, Any],
                                 provenance: Any) -> None:
    """Load ``rows`` of a bank-transfer feed (the shipped ``transfers`` mapping), then one FtM
    ``entity``, into ``store``: the two ways one account reaches the graph."""
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.readers.ftm import FtmReader

    csv = tmp_path / "transfers.csv"
    csv.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    await run_load(store, MappedCsvReader(load_mapping("transfers"), [csv]), source="partner-fiu-transfers",
                   provenance=provenance)
    await run_load(store, FtmReader([ftm_file(tmp_path, entity)]), source="ftm", provenance=provenance)
