"""A blind load's link to its victim's quarantined phone, kept out by the circuit breaker and told
written, is told a reload when the same load writes it once the quarantine is lifted (the holders'
source withdrew its links), as the wrong guess's link, written from the start, is: not created
again; and a replace no longer stating it, or a DEL of it, counts it deleted once, not the link
and its stale entry (attack round a-67, 5; graphapi/ingest/blind_diverted.py, reconcile_diverted)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model
from tests.ingest.ingest_helpers import Records
from tests.ingest.phone_holders import PHONE, load_holders
from tests.ingest.test_a_blind_loads_link_to_its_victims_quarantined_identifier_is_diverted import (
    FAKE,
    _holder_and_link,
    _victims_quarantined_phone,
)
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import TOLD
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY
from tests.ingest.test_every_source_of_an_agency_is_one_for_the_blind_rule import _load_as

pytestmark = pytest.mark.backends
SOURCE = f"feed-a@{AGENCY}"


async def _said_then_lifted(store, phone):
    """The holder and its link to ``phone`` said by a blind load, the quarantine then lifted (for
    the victim's phone: its other holders' source deletes them), and said again: what that is told."""
    records = _holder_and_link(phone, f"per-q-{phone[6:]}")
    await _load_as(store, SOURCE, records)
    if phone == PHONE:
        await load_holders(store, [f"per-th-{i}" for i in range(4)], "th", AGENCY, "GREEN", op="delete")
    return await _load_as(store, SOURCE, records)


async def test_the_link_written_once_the_quarantine_is_lifted_is_told_unchanged(empty_store):
    await _victims_quarantined_phone(empty_store)
    told = {}
    for phone in (FAKE, PHONE):
        summary = await _said_then_lifted(empty_store, phone)
        told[phone] = {k: getattr(summary, k) for k in TOLD}
    assert told[PHONE] == told[FAKE]
    assert (told[PHONE]["relationships_created"], told[PHONE]["relationships_unchanged"]) == (0, 1)


def _deleting(link, holder, phone):
    return Records(EdgeRecord("USES_PHONE", link, holder, phone, {}, Origin(SOURCE, "d.csv", 1), op="delete"))


@pytest.mark.parametrize("how", ["replace", "del"])
async def test_the_link_written_once_the_quarantine_is_lifted_is_counted_deleted_once(empty_store, how):
    await _victims_quarantined_phone(empty_store)
    kept, deleted = [], {}
    for phone in (FAKE, PHONE):
        holder = f"per-q-{phone[6:]}"
        await _said_then_lifted(empty_store, phone)
        kept += _holder_and_link(phone, holder)[:2]  # the holder and the phone, not the link
        if how == "replace":
            done = await _load_as(empty_store, SOURCE, kept, replace=True)
        else:
            link = load_model().relationship_id("USES_PHONE", holder, phone)
            done = await run_load(empty_store, _deleting(link, holder, phone), source=SOURCE, viewer=AGENCY,
                                  victim_blind=True, provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))
        deleted[phone] = (done.relationships_deleted, done.relationships_retracted)
    assert deleted[PHONE] == deleted[FAKE] == (1, 0)
