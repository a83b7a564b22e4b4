"""People who each use one phone, loaded by an agency: the circuit breaker's test graph
(tests/ingest/test_quarantine_audience.py, tests/security/test_quarantine_review.py)."""

from __future__ import annotations

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin

PHONE = "phone:+66811111111"
#: The circuit breaker's limit of these tests' loads.
LIMIT = 5


class PhoneHolders:
    """People who each use the one phone (``op`` delete: a delta DEL of their links)."""

    def __init__(self, people: list[str], src: str, op: str = "merge") -> None:
        self.people, self.src, self.op = people, src, op
        self.stats = ReadStats(rows=len(people))

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            o = Origin(self.src, f"{self.src}.csv", i)
            if self.op == "merge":
                yield NodeRecord("Person", pid, {"name": pid}, o)
                yield NodeRecord("Phone", PHONE, {"number": "+66811111111"}, o)
            yield EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, o, op=self.op)


async def load_holders(store, people: list[str], src: str, owner: str, tlp: str, op: str = "merge"):
    """``people`` using the phone, loaded from source ``src`` by ``owner`` at ``tlp``."""
    return await run_load(store, PhoneHolders(people, src, op), source=src, provenance=Provenance(owner=owner, tlp=tlp),
                          viewer=owner, correlation_limit=LIMIT)
