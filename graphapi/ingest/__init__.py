"""Ingest: readers (OFAC SDN, FollowTheMoney, mapped CSV) -> identifier guard -> batched writer.

Public entry points (readers live in ``graphapi.ingest.readers.*``; the CLI in ``.cli``; API
services in ``.service``)::

    from graphapi.ingest import run_load, write_records, Provenance
    summary = await run_load(store, OfacReader(sdn, add), source="ofac-sdn",
                             provenance=Provenance(owner="public", tlp="CLEAR"))
"""

from graphapi.ingest.guard import IdentifierGuard, load_exclusions
from graphapi.ingest.load_summary import LoadSummary
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection
from graphapi.ingest.writer import Provenance, WriteCounts, Writer, write_records

__all__ = [
    "EdgeRecord", "IdentifierGuard", "LoadSummary", "NodeRecord", "Origin", "Provenance", "Rejection",
    "WriteCounts", "Writer", "load_exclusions", "run_load", "write_records",
]
