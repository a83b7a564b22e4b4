"""Pending marks are finished in the order they were made, and one waits only for an earlier mark
its finish conflicts with.

Attack round 43a, 2: marks were read ``ORDER BY id``, a uuid4, so "earlier" was a coin flip; and
TH-DSI's own DEL of Somchai, killed (mark B naming the phone he shares with Anna), waited for the
public feed's stuck DEL of Anna (mark A, naming the same phone) though TH-DSI's load had been let
past A: its rerun, and every TH-DSI load naming that phone, stopped while A was stuck. Now a mark
carries ``seq`` (one past every mark standing when it was made), and B waits for A only where A
would have stopped the load that made B (its source, its owner, a link it took, or a kind that
stops every load: test_a_stuck_release_stops_every_load_naming_its_placeholder).
"""

from __future__ import annotations

import uuid as _uuid

import pytest
from store_kills import die_after
from test_a_stuck_mark_stops_only_the_writes_its_finish_would_undo import ANNA, PUBLIC, SOMCHAI, TH, _load

from graphapi.ingest import pending_retractions, retraction
from graphapi.ingest.pending_admin import list_marks
from graphapi.store.errors import PendingRetractionUnfinished, StoreTimeout

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

NIRAN = {"id": "th-10", "schema": "Person",
         "properties": {"name": ["Niran Chai"], "phone": SOMCHAI["properties"]["phone"]}}


class _Ids:
    """uuid4 stand-in: the ids given in turn (as uuid4 may draw them), then random ones."""

    def __init__(self, *prefixes: str) -> None:
        self.prefixes = list(prefixes)

    def uuid4(self):
        return _uuid.UUID(self.prefixes.pop(0).ljust(32, "0")) if self.prefixes else _uuid.uuid4()


async def _killed_del(store, tmp_path, monkeypatch, name, prov, source, entity, mark_id):
    with monkeypatch.context() as m:
        m.setattr(retraction, "uuid", _Ids(mark_id))
        die_after(store, m, lambda n: n == "provenance/retract_statements")
        with pytest.raises(OSError):
            await _load(store, tmp_path, name, prov, source, {"op": "DEL", "entity": entity})


def _a_is_poison(monkeypatch, a_id: str) -> None:
    """Every finish of mark ``a_id`` times out; the others are finished."""
    real = pending_retractions._finish

    async def finish(store, model, row, batch, batch_size):
        if batch.mark.startswith(a_id):
            raise StoreTimeout("Query timed out")
        return await real(store, model, row, batch, batch_size)

    monkeypatch.setattr(pending_retractions, "_finish", finish)


async def _public_mark_stuck_then_th_del_killed(store, tmp_path, monkeypatch, a_id: str, b_id: str) -> None:
    """Mark A: the public feed's DEL of Anna, killed, then stuck; mark B: TH-DSI's DEL of Somchai
    (sharing her phone, loaded past A), killed."""
    await store.clear()
    await _load(store, tmp_path, "t1.json", PUBLIC, "ftm", ANNA)
    await _killed_del(store, tmp_path, monkeypatch, "t2.delta.json", PUBLIC, "ftm", ANNA, a_id)
    _a_is_poison(monkeypatch, a_id)
    assert (await _load(store, tmp_path, "th.json", TH, "th-cases", SOMCHAI)).rows_loaded == 1
    await _killed_del(store, tmp_path, monkeypatch, "th.delta.json", TH, "th-cases", SOMCHAI, b_id)


@pytest.mark.parametrize("a_id, b_id", [("aaaa", "bbbb"), ("ffff", "0000")])
async def test_pending_marks_are_read_oldest_first_whatever_their_ids(empty_store, tmp_path, monkeypatch, a_id, b_id):
    await _public_mark_stuck_then_th_del_killed(empty_store, tmp_path, monkeypatch, a_id, b_id)
    rows = await empty_store.read("ingest/pending_retractions", {})
    assert [(r["id"][:4], r["owner"]) for r in rows] == [(a_id, "public"), (b_id, "TH-DSI")]
    assert [m.id[:4] for m in await list_marks(empty_store)] == [a_id, b_id]


@pytest.mark.parametrize("a_id, b_id", [("aaaa", "bbbb"), ("ffff", "0000")])
async def test_another_agencys_del_rerun_is_not_stopped_by_a_public_mark_it_was_let_past(
        empty_store, tmp_path, monkeypatch, a_id, b_id):
    await _public_mark_stuck_then_th_del_killed(empty_store, tmp_path, monkeypatch, a_id, b_id)
    summary = await _load(empty_store, tmp_path, "th.delta.json", TH, "th-cases", {"op": "DEL", "entity": SOMCHAI})
    assert summary.rows_loaded == 1
    rows = await empty_store.read("ingest/pending_retractions", {})
    assert [r["id"][:4] for r in rows] == [a_id]  # B finished by its rerun, A still stuck


async def test_another_agencys_load_of_a_third_person_with_the_phone_goes_on_behind_the_public_mark(
        empty_store, tmp_path, monkeypatch):
    await _public_mark_stuck_then_th_del_killed(empty_store, tmp_path, monkeypatch, "aaaa", "bbbb")
    assert (await _load(empty_store, tmp_path, "th2.json", TH, "th-cases", NIRAN)).rows_loaded == 1


async def test_a_later_mark_of_the_stuck_marks_own_agency_waits_for_it_even_with_a_smaller_id(
        empty_store, tmp_path, monkeypatch):
    # the public feed's second source's DEL of Anna (ids "0000" after "ffff"): same owner, same
    # items: finished first it would run out of order over A's
    store = empty_store
    await store.clear()
    await _load(store, tmp_path, "t1.json", PUBLIC, "ftm", ANNA)
    await _killed_del(store, tmp_path, monkeypatch, "t2.delta.json", PUBLIC, "ftm", ANNA, "ffff")
    marks = await list_marks(store)
    _a_is_poison(monkeypatch, "ffff")
    with pytest.raises(PendingRetractionUnfinished):  # the owner's load naming A's item stops
        await _load(store, tmp_path, "x.json", PUBLIC, "public-extra", ANNA)
    assert [m.id for m in await list_marks(store)] == [m.id for m in marks]
    # B: the mark of the same agency's DEL of p-1 from another source, killed after its first write
    await store.write("provenance/retract_statements", {
        "mark": "0000".ljust(32, "0"), "type": "", "ids": ["p-1"], "made": [], "source": "public-extra",
        "owner": "public", "scoped": False})
    listed = await list_marks(store)
    assert [(m.id[:4], m.waits_for and m.waits_for[:4]) for m in listed] == [("ffff", None), ("0000", "ffff")]
    with pytest.raises(PendingRetractionUnfinished):
        await _load(store, tmp_path, "x.json", PUBLIC, "public-extra", ANNA)
    rows = await store.read("ingest/pending_retractions", {})
    # each load tried A; B waited, never tried
    assert [(r["id"][:4], r["attempts"]) for r in rows] == [("ffff", 2), ("0000", None)]
