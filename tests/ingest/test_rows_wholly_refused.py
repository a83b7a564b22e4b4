"""A row all of whose records the writer refuses (a hit on another agency's hidden node) or cannot
link (a relationship to such a node) is a rejected row, not a loaded one: rows read = loaded +
rejected, and a load that wrote nothing says so (new-user report: an upload of 475 rows whose
nodes another agency held hidden ended "done" with 0 rejected and nothing written)."""

from dataclasses import replace

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records

pytestmark = pytest.mark.asyncio(loop_scope="session")

KH = Provenance(owner="KH-NP", tlp="GREEN")


class Rows:
    """A reader of ``rows``: each a list of records from one line of ``kh-feed.json``."""

    def __init__(self, *rows: list) -> None:
        self.rows = rows
        self.stats = ReadStats(rows=len(rows))

    def records(self):
        for line, records in enumerate(self.rows, start=1):
            for rec in records:
                yield replace(rec, origin=Origin("kh-feed", "kh-feed.json", line))


def _person(pid: str) -> NodeRecord:
    return NodeRecord("Person", pid, {"name": pid.title()})


def _knows(start: str, end: str) -> EdgeRecord:
    return EdgeRecord("ASSOCIATE_OF", f"assoc:{start}:{end}", start, end, {})


async def test_rows_whose_every_record_is_refused_or_unlinked_are_rejected_rows(backend_empty_store):
    store = backend_empty_store
    await write_records(store, [_person("per-th-secret")], provenance=Provenance(owner="TH-DSI", tlp="AMBER"),
                        source="th-feed")
    reader = Rows([_person("per-th-secret")],                                      # a hit: refused
                  [_person("per-kh-new"), _knows("per-kh-new", "per-th-secret")],  # the person loads
                  [_knows("per-th-secret", "per-kh-new")])                         # unlinked: rejected
    summary = await run_load(store, reader, source="kh-feed", provenance=KH, viewer="KH-NP")
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (3, 1, 2)
    assert (summary.restricted, summary.dangling) == (1, 2)


async def test_a_load_whose_every_row_is_refused_loaded_no_row(backend_empty_store):
    store = backend_empty_store
    await write_records(store, [_person("per-th-secret")], provenance=Provenance(owner="TH-DSI", tlp="AMBER"),
                        source="th-feed")
    summary = await run_load(store, Rows([_person("per-th-secret")], [_knows("per-th-secret", "per-th-secret")]),
                             source="kh-feed", provenance=KH, viewer="KH-NP")
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 0, 2)
