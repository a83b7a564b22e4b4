"""A victim-blind load's own link saying ``role: victim`` of a guess makes a wrong guess's person a
victim of its agency: its later blind loads meet that link as a right guess's, by its shadow
(attack round a-90, 2; graphapi/ingest/write_edges.py, blind_diverted.reconcile_diverted)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.service import build_records
from graphapi.ingest.writer import Provenance
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _victim

pytestmark = pytest.mark.backends
RIGHT, WRONG = "per-vic-1", "per-vic-9"  # the victim (in case V-9); nobody
CASE = f"case:{AGENCY}|V-9"
SEEN = Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z")


def _says(pid, role):
    return [{"kind": "node", "label": "Person", "id": pid, "properties": {"name": "Chan Dara"}},
            {"kind": "relationship", "type": "INVOLVED_IN", "from": pid, "to": CASE, "properties": {"role": role}}]


async def _blind(store, items, feed):
    source = f"{feed}@{AGENCY}"
    summary = await run_load(store, Records(*build_records(items, source)[0]), source=source, viewer=AGENCY,
                             victim_blind=True, provenance=SEEN)
    return summary.relationships_created, summary.relationships_unchanged, summary.conflicts


async def test_a_blind_loads_victim_role_link_of_a_guess_said_by_another_feed_is_told_as_a_right_guesss(empty_store):
    # a-90, 2: the wrong guess's link had no shadow, so feed-b's witness of it was told created, no
    # conflict: (1, 0) links created, (0, 1) conflicts for (wrong, right)
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        await _blind(empty_store, _says(pid, "victim"), "feed-a")
        told[pid] = await _blind(empty_store, _says(pid, "witness"), "feed-b")
    assert told[WRONG] == told[RIGHT] == (0, 0, 1)
