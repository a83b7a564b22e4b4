"""A stuck placeholder release stops every load naming its node, whoever's.

Attack round 43a, 1: TH-DSI's DEL of its Membership frees placeholder p-1 to KH-NP's RED Person
kept apart on it (attack round 33, 2), and is killed straight after the release's first write; its
marks stay stuck. The release's finish relabels the node and re-owns it from the record kept apart
there, so a write another agency made meanwhile is not one it commutes with: LA-POL's GREEN link
naming p-1 went on (v-marks42 let another agency's writes past a stuck mark), made p-1 its GREEN
Organization placeholder, and the finish then labelled it Person, the type only KH-NP's RED record
says, for every GREEN reader; KH-NP's own record of p-1 was rejected "label conflict". Now only a
source's retraction batch (a DEL's, a replace's: its finish is proven to commute,
test_a_stuck_mark_stops_only_the_writes_its_finish_would_undo) lets another agency's write to its
items go on; a release (and a rebuild) stops every load naming its items until it is finished.
"""

from __future__ import annotations

import pytest
from store_kills import die_after_nth_write, kill_points, whole_graph
from test_a_placeholders_release_converges_after_a_kill import DEL, P1, _killing, _linked_then_kept_apart, _load

from graphapi.ingest import pending_retractions
from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.store.errors import PendingRetractionUnfinished, StoreTimeout

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

KH_AGAIN = {**P1, "properties": {**P1["properties"], "birthDate": ["1980-02-03"]}}
LA_LINK = {"id": "m-9", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-9"]}}
LA_PERSON = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna S."]}}
KH_LINK = {"id": "m-7", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-7"]}}
#: another load naming p-1 while the marks are stuck: KH-NP's own record, LA-POL's link and record, KH-NP's link
OTHERS = {"kh-record": ("KH-NP", "RED", KH_AGAIN), "la-link": ("LA-POL", "GREEN", LA_LINK),
          "la-person": ("LA-POL", "GREEN", LA_PERSON), "kh-link": ("KH-NP", "RED", KH_LINK)}


async def _other(store, tmp_path, what):
    owner, tlp, doc = OTHERS[what]
    return await _load(store, tmp_path, "other.ftm.json", owner, tlp, doc)


def _poison(monkeypatch) -> None:
    async def poison(*args, **kwargs):
        raise StoreTimeout("Query timed out")

    monkeypatch.setattr(pending_retractions, "_finish", poison)


async def _half_released(store, tmp_path, monkeypatch) -> None:
    """TH-DSI's DEL killed straight after the release's first write (p-1 narrowed to KH-NP, marked)."""
    await _linked_then_kept_apart(store, tmp_path)
    with monkeypatch.context() as m:
        _killing(store, m, "ingest/release_placeholders")
        with pytest.raises(OSError):
            await _load(store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", DEL)
    assert any(r.get("release") for r in await store.read("ingest/pending_retractions", {}))


async def _records(store):
    nodes, links = await whole_graph(store)
    return [n for n in nodes if "PendingRetraction" not in n], links


async def _p1(store):
    (row,) = await store.read("admin/snapshot")
    return next(n for n in row["nodes"] if n["props"].get("id") == "p-1")


async def test_another_agencys_link_to_a_placeholder_a_stuck_release_holds_stops_before_writing(
        empty_store, tmp_path, monkeypatch):
    await _half_released(empty_store, tmp_path, monkeypatch)
    before = await _records(empty_store)
    with monkeypatch.context() as m:
        _poison(m)
        with pytest.raises(PendingRetractionUnfinished, match="run it again"):
            await _other(empty_store, tmp_path, "la-link")
    assert await _records(empty_store) == before  # the marks aside (they count the failed finish)


async def test_another_agencys_link_run_again_after_the_finish_never_labels_its_placeholder_by_the_red_record(
        empty_store, tmp_path, monkeypatch):
    await _half_released(empty_store, tmp_path, monkeypatch)
    with monkeypatch.context() as m:
        _poison(m)
        with pytest.raises(PendingRetractionUnfinished):
            await _other(empty_store, tmp_path, "la-link")
    assert await finish_pending_now(empty_store) == 2  # the DEL's batch and its release
    assert (await _other(empty_store, tmp_path, "la-link")).rows_loaded == 1
    p1 = await _p1(empty_store)
    # KH-NP's released RED Person, held apart from LA-POL's link: GREEN readers never see it a Person
    assert (p1["props"]["owner"], p1["props"]["tlp"], "Person" in p1["labels"]) == ("KH-NP", "RED", True)
    assert not await empty_store.read("ingest/pending_retractions", {})


async def test_the_records_agencys_own_load_over_a_stuck_release_stops_then_loads_whole(
        empty_store, tmp_path, monkeypatch):
    await _half_released(empty_store, tmp_path, monkeypatch)
    with monkeypatch.context() as m:
        _poison(m)
        with pytest.raises(PendingRetractionUnfinished):
            await _other(empty_store, tmp_path, "kh-record")
    summary = await _other(empty_store, tmp_path, "kh-record")  # the cause fixed: its rerun finishes the marks
    p1 = await _p1(empty_store)
    assert (summary.rows_loaded, summary.rows_rejected, p1["props"].get("birthDate"), "Person" in p1["labels"]) == (
        1, 0, ["1980-02-03"], True)


async def _in_turn(store, tmp_path, what: str, del_first: bool):
    await _linked_then_kept_apart(store, tmp_path)
    if not del_first:
        await _other(store, tmp_path, what)
    await _load(store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", DEL)
    if del_first:
        await _other(store, tmp_path, what)
    return await whole_graph(store)


#: Per store, the names of the uninterrupted DEL's writes: the same whichever load comes after it,
#: so run once per backend, not once per parameter.
_del_writes_seen: dict[int, list[str]] = {}


async def _del_writes(store, tmp_path, monkeypatch) -> list[str]:
    """The names of the writes of TH-DSI's DEL run uninterrupted (the write lease's own aside)."""
    if id(store) not in _del_writes_seen:
        await _linked_then_kept_apart(store, tmp_path)
        with monkeypatch.context() as m:
            writes = die_after_nth_write(store, m, 0)
            await _load(store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", DEL)
        _del_writes_seen[id(store)] = writes
    return _del_writes_seen[id(store)]


@pytest.mark.parametrize("what", list(OTHERS))
async def test_after_a_kill_at_any_write_of_the_releasing_del_another_load_ends_as_one_of_the_two_orders(
        empty_store, tmp_path, monkeypatch, what):
    store = empty_store
    del_first = await _in_turn(store, tmp_path, what, True)
    other_first = await _in_turn(store, tmp_path, what, False)
    writes = await _del_writes(store, tmp_path, monkeypatch)
    first = writes.index("provenance/retract_statements")
    last = max(i for i, name in enumerate(writes) if name == "ingest/clear_pending_retraction")
    kills = kill_points(store, writes, range(first + 1, last + 1))
    assert "ingest/release_placeholders" in writes[first:last], writes
    ends = []
    for n in kills:
        await _linked_then_kept_apart(store, tmp_path)
        with monkeypatch.context() as m:
            die_after_nth_write(store, m, n)
            with pytest.raises(OSError):
                await _load(store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", DEL)
        with monkeypatch.context() as m:
            _poison(m)
            try:
                await _other(store, tmp_path, what)
                went = "went on"
            except PendingRetractionUnfinished:
                went = "stopped"
        if went == "stopped":  # the cause fixed, it is run again (finishing the marks first)
            await _other(store, tmp_path, what)
        else:
            await finish_pending_now(store)
        assert await store.read("ingest/pending_retractions", {}) == []
        got = await whole_graph(store)
        ends.append((writes[n - 1], went, "del first" if got == del_first else "other first"
                     if got == other_first else "neither"))
    assert [e for e in ends if e[2] == "neither"] == [], ends
    # every kill from the release's first write to the write that clears its mark leaves a
    # release mark: the load stops (before it and after it, the DEL's batch alone lets it on)
    released = writes.index("ingest/release_placeholders") + 1
    cleared = writes.index("ingest/clear_pending_retraction", released) + 1
    assert {went for n, (_, went, _) in zip(kills, ends, strict=True) if released <= n < cleared} == {"stopped"}, ends
