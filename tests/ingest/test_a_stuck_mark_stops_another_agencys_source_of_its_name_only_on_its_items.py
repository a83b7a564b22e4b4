"""A stuck mark stops another agency's load of a source of the same name only where it names the mark's items.

Attack round 44a, 3: ``StuckMark.blocks`` stopped any load whose source *name* matched a stuck
mark's, before any owner or item check. Every agency loading the public feed's export calls its
source the same ('opensanctions'), so the public feed's stuck DEL of Anna stopped TH-DSI's load of
an unrelated person from its own 'opensanctions' file. A source is an agency's: the finish deletes
the public feed's statements about Anna and withdraws the name from the public feed's items, never
from TH-DSI's person. The mark's owner's loads of its source still stop (its replace retracts what
it does not name), and so does another agency's naming the mark's items under that name (the
finish withdraws the name there).
"""

from __future__ import annotations

import pytest
from ingest_helpers import node_props
from store_kills import die_after
from test_a_stuck_mark_stops_only_the_writes_its_finish_would_undo import ANNA, PUBLIC, TH, _load, _poison

from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.store.errors import PendingRetractionUnfinished

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]
SOURCE = "opensanctions"
NIRAN = {"id": "th-7", "schema": "Person", "properties": {"name": ["Niran Chai"]}}
ANNA_BY_TH = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "nationality": ["de"]}}


async def _stuck_del_of_the_feed(store, tmp_path, monkeypatch) -> None:
    """The public feed's DEL of Anna killed after its statements went; its finish then fails every time."""
    await store.clear()
    await _load(store, tmp_path, "pub1.json", PUBLIC, SOURCE, ANNA)
    with monkeypatch.context() as m:
        die_after(store, m, lambda name: name == "provenance/retract_statements")
        with pytest.raises(OSError):
            await _load(store, tmp_path, "pub2.json", PUBLIC, SOURCE, {"op": "DEL", "entity": ANNA})
    _poison(monkeypatch)


async def test_another_agencys_load_of_its_own_person_under_the_same_source_name_goes_on(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del_of_the_feed(store, tmp_path, monkeypatch)
    summary = await _load(store, tmp_path, "th.json", TH, SOURCE, NIRAN)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (1, 1, 0)
    assert (await node_props(store, "th-7"))["name"] == "Niran Chai"


async def test_the_finish_after_it_keeps_the_other_agencys_person_and_its_source(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del_of_the_feed(store, tmp_path, monkeypatch)
    await _load(store, tmp_path, "th.json", TH, SOURCE, NIRAN)
    monkeypatch.undo()  # the cause fixed
    assert await finish_pending_now(store) == 1
    niran = await node_props(store, "th-7")
    assert (niran["owner"], niran["name"], niran["sources"]) == ("TH-DSI", "Niran Chai", [SOURCE])
    assert await node_props(store, "p-1") == {}


async def test_another_agencys_load_under_the_same_source_name_naming_the_marks_item_still_stops(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del_of_the_feed(store, tmp_path, monkeypatch)
    with pytest.raises(PendingRetractionUnfinished):  # the finish withdraws that name from her
        await _load(store, tmp_path, "th.json", TH, SOURCE, NIRAN, ANNA_BY_TH)
    assert await node_props(store, "th-7") == {}


async def test_the_marks_owners_load_of_its_source_naming_other_items_still_stops(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del_of_the_feed(store, tmp_path, monkeypatch)
    with pytest.raises(PendingRetractionUnfinished, match=f"source {SOURCE} of public"):
        await _load(store, tmp_path, "pub3.json", PUBLIC, SOURCE, NIRAN)
    assert await node_props(store, "th-7") == {}
