"""The circuit breaker holds for a victim-blind load's links to its own victim's quarantined
identifier as for any other: a new link to it is not written but kept as text on its holder, for
an analyst's review (graphapi/ingest/write_correlation.py). The load is told it as a wrong guess's
new link (created, no quarantine, no warning line: graphapi/ingest/blind_values.py), as
tests/ingest/test_a_guess_of_an_own_victims_item_is_told_alike_every_way.py asks."""

import pytest

from graphapi.ingest.service import ingest_records
from graphapi.ontology import load_model
from tests.ingest.phone_holders import PHONE, load_holders
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import _told
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _load, _victim

pytestmark = pytest.mark.backends


async def _victims_quarantined_phone(store):
    await _victim(store)
    linked = [{"type": "USES_PHONE", "from": "per-vic-1", "to": PHONE, "properties": {}},
              {"kind": "node", "label": "Phone", "properties": {"number": PHONE[6:]}}]
    assert not (await ingest_records(store, linked, source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")).rejected
    await load_holders(store, [f"per-th-{i}" for i in range(6)], "th", AGENCY, "GREEN")


def _holder_and_link(phone, holder="per-q"):
    return [{"kind": "node", "label": "Person", "id": holder, "properties": {"name": "Q"}},
            {"kind": "node", "label": "Phone", "properties": {"number": phone[6:]}},
            {"type": "USES_PHONE", "from": holder, "to": phone, "properties": {}}]


async def test_a_blind_loads_link_to_its_victims_quarantined_phone_is_not_written(empty_store):
    await _victims_quarantined_phone(empty_store)
    await _load(empty_store, *_holder_and_link(PHONE))
    link = load_model().relationship_id("USES_PHONE", "per-q", PHONE)
    assert await empty_store.read("ingest/existing_relationships", {"ids": [link]}, type="USES_PHONE") == []
    [holder] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-q"]})
    assert holder["props"].get("identifiers") == [f"Phone:{PHONE[6:]}"]


async def test_the_diverted_link_is_told_as_a_wrong_guesss_new_link(empty_store):
    await _victims_quarantined_phone(empty_store)
    told = []
    for phone in ("phone:+66899999999", PHONE):
        s = await _load(empty_store, *_holder_and_link(phone, f"per-q-{phone}"))
        told.append((s.relationships_created, s.quarantined, s.warnings, len(s.warned)))
    assert told == [(1, 0, 0, 0)] * 2


async def test_the_diverted_link_said_again_is_told_as_a_wrong_guesss_link_said_again(empty_store):
    await _victims_quarantined_phone(empty_store)
    told = {}
    for phone in ("phone:+66899999999", PHONE):
        records = _holder_and_link(phone, f"per-q-{phone}")
        await _load(empty_store, *records)
        # seen after the victim's phone was (its holders' loads are seen now): its lastSeen moves too
        told[phone] = _told(await _load(empty_store, *records, seen="2099-05-02T00:00:00Z"))
    assert told[PHONE] == told["phone:+66899999999"]
