"""Noting an identifier for a recount, and clearing it, costs its own ids, whatever is noted
already: the notes were one list on one ``PendingRecount`` node, and each note ran ``x IN noted``
over it and each clear ``NOT x IN $ids`` (attack round a-89, 6: 60k ids noted in batches took
28.8 s, a 100k-link replace about a minute). One node per noted identifier now, sought by its
index. Read from the statements' profile on each backend (the rows each operator produced, at two
sizes) and from what the store holds, never their speed. A graph's old list is still recounted."""

import pytest
from neo4j import RoutingControl
from operator_rows import rows_per_operator

import graphapi.ingest.pending_recounts as pending_recounts
import graphapi.ingest.pending_widenings as pending_widenings
from graphapi.ingest.pending_recounts import RECOUNT_ID
from graphapi.ingest.pending_widenings import WIDENED_ID

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
BATCH = [f"phone:+6682{i:07d}" for i in range(10)]


async def _raw(store, text: str, params: dict | None = None) -> list:
    """Run ``text`` directly: what an older version left, or what the store holds."""
    if store.dialect == "falkordb":
        return await store._run(text, params, read_only=False)
    async with store._driver.session() as session:
        return [r.data() async for r in await session.run(text, params)]


async def _work_of_a_batch(store, noted_before: int) -> tuple[dict, dict]:
    """The rows per operator of noting :data:`BATCH` with ``noted_before`` ids noted, then of
    clearing it."""
    await store.clear()
    before = [f"phone:+6683{i:07d}" for i in range(noted_before)]
    for i in range(0, noted_before, 1_000):  # as a big DEL notes: a batch at a time
        await pending_widenings.note(store, before[i:i + 1_000])
    params = {"id": WIDENED_ID, "ids": BATCH}
    note = await rows_per_operator(store, "ingest/note_quarantine_ids", params, routing=RoutingControl.WRITE)
    clear = await rows_per_operator(store, "ingest/clear_pending_recounts", params, routing=RoutingControl.WRITE)
    return note, clear


async def test_noting_and_clearing_a_batch_work_on_the_batch_alone_whatever_is_noted(backend_empty_store):
    store = backend_empty_store
    few, many = await _work_of_a_batch(store, 100), await _work_of_a_batch(store, 1_500)
    assert few == many  # every operator's rows: the same with 100 or 1,500 noted
    assert max(max(few[0].values()), max(few[1].values())) == len(BATCH)
    # and no note holds a list growing with the notes (the old layout's one node held 1,500)
    rows = await _raw(store, "MATCH (r:PendingRecount) RETURN count(r) AS nodes, "
                             "max(size(coalesce(r.ids, []))) AS listed")
    assert [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows] == [(1_500, 0)]
    noted, listed = await pending_recounts.noted_in(store, WIDENED_ID)
    assert (len(noted), set(BATCH) & set(noted), listed) == (1_500, set(), False)  # the batch cleared alone


@pytest.mark.parametrize(("set_id", "recount"), [(RECOUNT_ID, "recount_noted"), (WIDENED_ID, "recount_left")])
async def test_a_list_noted_before_the_upgrade_is_recounted_and_then_goes(backend_empty_store, monkeypatch,
                                                                          set_id, recount):
    store = backend_empty_store
    await _raw(store, "CREATE (:PendingRecount {id: $id, ids: $ids})", {"id": set_id, "ids": ["phone:a", "phone:b"]})
    await pending_widenings.note(store, ["phone:c"]) if set_id == WIDENED_ID else \
        await store.write("ingest/note_quarantine_ids", {"id": set_id, "ids": ["phone:c"]})
    counted: list[str] = []

    async def recount_all(_store, ids, *_args, **_kw):
        counted.extend(ids)
    module = pending_recounts if recount == "recount_noted" else pending_widenings
    monkeypatch.setattr(module, "recount_all", recount_all)
    await getattr(module, recount)(store, ["USES_PHONE"], 5)
    assert (sorted(counted), await pending_recounts.noted_in(store, set_id)) == (
        ["phone:a", "phone:b", "phone:c"], ([], False))


async def test_noting_and_clearing_many_ids_sends_a_thousand_a_statement(backend_empty_store, monkeypatch):
    # a-95, 5: one statement for all of them (a share's note, a recount's clear): 100k ids took 13.3 s
    # on Neo4j, in one transaction, near the statement timeout at about 220k
    store = backend_empty_store
    await store.clear()
    ids = [f"phone:+6684{i:07d}" for i in range(2_500)]
    sent: list[tuple[str, int]] = []
    write = store.write

    async def recording(name, params=None, *a, **k):
        sent.append((name, len((params or {}).get("ids", ()))))
        return await write(name, params, *a, **k)
    monkeypatch.setattr(store, "write", recording)
    await pending_widenings.note(store, ids)
    noted = len((await pending_recounts.noted_in(store, WIDENED_ID))[0])
    await pending_widenings.unnote(store, ids)
    assert (sent, noted, await pending_recounts.noted_in(store, WIDENED_ID)) == (
        [*[("ingest/note_quarantine_ids", n) for n in (1_000, 1_000, 500)],
         *[("ingest/clear_pending_recounts", n) for n in (1_000, 1_000, 500)]], 2_500, ([], False))
