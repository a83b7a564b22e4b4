"""What a load's summary counts (docs/ingest.md, "What a load reports"): the nodes and
relationships its records name (``*_read``, the same in a dry run), and of those the ones it
created, updated and left unchanged; ``*_written`` = created + updated. A second upload of the
same file reads every node and writes none: it says so (new-user trial 7: ``nodes_written 0``
beside ``statements_written 631`` read as "nothing happened")."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import Records, node_props

from graphapi.ingest.load_summary import WRITE_COUNTS
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

SAMPLE = Path(__file__).resolve().parents[2] / "seed" / "samples" / "transfers.synthetic.csv"
PROV = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-03-01T00:00:00")
LATER = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-04-01T00:00:00")
A, B = "phone:+66812345678", "phone:+85510904499"


def _transfers() -> MappedCsvReader:
    return MappedCsvReader(load_mapping("transfers"), [SAMPLE])


def _counts(summary, *names: str) -> tuple:
    return tuple(getattr(summary, n) for n in names)


def _call(a_props: dict) -> Records:
    o = Origin("cdr", "cdr.csv", 2)
    return Records(NodeRecord("Phone", A, a_props, o), NodeRecord("Phone", B, {"number": B[6:]}, o),
                   EdgeRecord("CALLED", "called:1", A, B, {"at": "2026-01-02T10:00:00", "durationS": 60}, o))


async def test_a_dry_run_reads_the_nodes_and_relationships_a_real_run_reads(backend_empty_store) -> None:
    dry = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV, dry_run=True)
    real = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    assert _counts(dry, "nodes_read", "relationships_read") == _counts(real, "nodes_read", "relationships_read") \
        == (56, 438)
    assert dry.rows_read == dry.rows_loaded + dry.rows_rejected == real.rows_loaded + real.rows_rejected == 400


async def test_a_dry_run_reports_no_write_count(backend_empty_store) -> None:
    dry = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV, dry_run=True)
    assert {name: dry.as_dict()[name] for name in WRITE_COUNTS} == dict.fromkeys(WRITE_COUNTS)


async def test_a_first_load_creates_every_node_and_relationship_it_reads(backend_empty_store) -> None:
    s = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    assert _counts(s, "nodes_created", "nodes_updated", "nodes_unchanged", "nodes_written") == (56, 0, 0, 56)
    assert _counts(s, "relationships_created", "relationships_updated", "relationships_unchanged",
                   "relationships_written") == (438, 0, 0, 438)


async def test_the_same_file_again_leaves_every_node_and_relationship_unchanged(backend_empty_store) -> None:
    await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    s = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    assert _counts(s, "nodes_read", "nodes_created", "nodes_updated", "nodes_unchanged", "nodes_written") \
        == (56, 0, 0, 56, 0)
    assert _counts(s, "relationships_read", "relationships_unchanged", "relationships_written",
                   "statements_written") == (438, 438, 0, 0)


async def test_the_same_file_seen_later_writes_no_statement_and_counts_the_moved_sightings_apart(
        backend_empty_store) -> None:
    # the OFAC reload (issue 12): lastSeen moves on every statement, no value changes
    first = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    s = await run_load(backend_empty_store, _transfers(), source="bank", provenance=LATER)
    assert _counts(first, "statements_written", "statements_seen") == (454, 0)
    assert _counts(s, "statements_written", "statements_seen") == (0, 454)


async def test_the_same_file_seen_later_leaves_every_node_and_relationship_unchanged_and_counts_them_seen(
        backend_empty_store) -> None:
    # new-user trial 8: every item counted "updated" because its lastSeen moved
    await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    s = await run_load(backend_empty_store, _transfers(), source="bank", provenance=LATER)
    assert _counts(s, "nodes_read", "nodes_created", "nodes_updated", "nodes_unchanged", "nodes_seen",
                   "nodes_written") == (56, 0, 0, 56, 56, 0)
    assert _counts(s, "relationships_read", "relationships_updated", "relationships_unchanged", "relationships_seen",
                   "relationships_written") == (438, 0, 438, 438, 0)


async def test_an_item_counted_seen_has_its_last_seen_moved(backend_empty_store) -> None:
    await run_load(backend_empty_store, _call({"number": A[6:]}), source="cdr", provenance=PROV)
    s = await run_load(backend_empty_store, _call({"number": A[6:]}), source="cdr", provenance=LATER)
    assert _counts(s, "nodes_seen", "nodes_updated", "relationships_seen", "relationships_updated") == (2, 0, 1, 0)
    assert (await node_props(backend_empty_store, A))["lastSeen"] == "2026-04-01T00:00:00"


async def test_the_same_file_again_at_the_same_time_counts_nothing_seen(backend_empty_store) -> None:
    await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    s = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    assert _counts(s, "nodes_unchanged", "nodes_seen", "relationships_unchanged", "relationships_seen") \
        == (56, 0, 438, 0)


async def test_a_new_value_seen_later_counts_its_statement_written_and_the_others_seen(backend_empty_store) -> None:
    await run_load(backend_empty_store, _call({"number": A[6:]}), source="cdr", provenance=PROV)
    s = await run_load(backend_empty_store, _call({"number": A[6:], "lineType": "mobile"}), source="cdr",
                       provenance=LATER)
    assert _counts(s, "statements_written", "statements_seen") == (1, 2)


async def test_a_new_value_for_a_stored_node_counts_it_updated_and_writes_its_statement(backend_empty_store) -> None:
    await run_load(backend_empty_store, _call({"number": A[6:]}), source="cdr", provenance=PROV)
    s = await run_load(backend_empty_store, _call({"number": A[6:], "lineType": "mobile"}), source="cdr",
                       provenance=PROV)
    assert _counts(s, "nodes_read", "nodes_created", "nodes_updated", "nodes_unchanged", "nodes_written") \
        == (2, 0, 1, 1, 1)
    assert _counts(s, "relationships_unchanged", "relationships_written", "statements_written") == (1, 0, 1)


async def test_counts_are_of_distinct_ids_however_many_flushes_name_them(backend_empty_store) -> None:
    # batches of 37 records: an account and its AT_BANK link are named again in later flushes
    first = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV, batch_size=37)
    again = await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV, batch_size=37)
    assert _counts(first, "nodes_created", "nodes_unchanged", "relationships_created", "relationships_updated",
                   "relationships_unchanged", "relationships_written") == (56, 0, 438, 0, 0, 438)
    assert _counts(again, "nodes_unchanged", "relationships_unchanged", "relationships_written") == (56, 438, 0)
