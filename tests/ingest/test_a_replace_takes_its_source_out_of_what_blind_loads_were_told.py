"""A ``--replace`` that no longer states an item of the load's own victims takes its source out of
the item's ``blindSaid`` (what victim-blind loads of the source were told created:
graphapi/ingest/blind_values.py), as it takes out the source's other statements: the guess said
again is told created, as a wrong one's (retracted with the replace) would be."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.service import build_records
from graphapi.ingest.writer import Provenance
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import (
    NUMBER,
    _document,
    _told,
    _victim_with_passport,
)
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, SOURCE

pytestmark = pytest.mark.backends
WRONG = "BB7654321"


async def _blind(store, records, *, replace=False):
    return await run_load(store, Records(*build_records(records, SOURCE)[0]), source=SOURCE, viewer=AGENCY,
                          victim_blind=True, replace=replace,
                          provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))


def _other():
    return {"kind": "node", "label": "Person", "id": "per-other", "properties": {"name": "Keo Vanna"}}


async def test_a_guess_a_replace_no_longer_states_is_told_created_again_as_a_wrong_ones(empty_store):
    await _victim_with_passport(empty_store)
    told = {}
    for number in (WRONG, NUMBER):
        await _blind(empty_store, _document(number)[:1])
        await _blind(empty_store, [_other()], replace=True)
        told[number] = _told(await _blind(empty_store, _document(number)[:1]))
    assert told[NUMBER] == told[WRONG]
    assert (told[NUMBER]["nodes_created"], told[NUMBER]["nodes_unchanged"]) == (1, 0)


async def test_a_replace_takes_its_source_out_of_what_a_blind_load_was_told(empty_store):
    await _victim_with_passport(empty_store)
    await _blind(empty_store, _document(NUMBER)[:1])
    await _blind(empty_store, [_other()], replace=True)
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": [f"identity:TH|{NUMBER}"]})
    assert SOURCE not in (row["props"].get("blindSaid") or [])
