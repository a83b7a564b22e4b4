"""The loader finds a stored relationship by its id through the type's index, never by walking the
relationships between (or from) its endpoints: two accounts with thousands of transfers between
them made a 2,000-row batch take 46 s (the fourth attack, H7). Work is counted by the engine,
not timed: Neo4j's db hits, FalkorDB's records produced per operator (GRAPH.PROFILE)."""

import re

import pytest
from neo4j import RoutingControl

from graphapi.store.falkordb import EmbeddedStore

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

#: Transfers between the two accounts; each statement below handles 5 rows of them.
PARALLEL = 400
GREEN = {"tlp": "GREEN", "owner": "TH-AMLO", "sources": ["bank-feed"]}
PROBED = [f"transferred_to:t{i}" for i in (1, 57, 123, 250, 399)]


def _rows(ids: list[str]) -> list[dict]:
    return [{"id": i, "start": "acct-a", "end": "acct-b"} for i in ids]


async def _two_accounts_with_many_transfers(store) -> None:
    await store.clear()
    # acct-b quarantined too, for the circuit breaker's check (ingest/quarantined_links)
    await store.write_batches("ingest/create_nodes", [{"id": "acct-a", "props": GREEN},
                                                      {"id": "acct-b", "props": {**GREEN, "quarantined": True}}],
                              labels="BankAccount")
    transfers = [{**row, "props": {**GREEN, "amount": i}, "lean": None}
                 for i, row in enumerate(_rows([f"transferred_to:t{i}" for i in range(PARALLEL)]))]
    await store.write_batches("ingest/add_relationships", transfers, params={"agency": None}, type="TRANSFERRED_TO")


def _neo4j_hits(plan) -> int:
    return plan.get("dbHits", 0) + sum(_neo4j_hits(child) for child in plan.get("children", []))


async def _work(store, name: str, params: dict, **placeholders: str) -> int:
    """What the engine did to run statement ``name`` once (it runs: writes are written)."""
    text = store.statements[name].render(**placeholders)
    if isinstance(store, EmbeddedStore):
        graph = store._graph
        lines = await graph.execute_command("GRAPH.PROFILE", graph.name, graph._build_params_header(params) + text)
        return sum(int(m) for line in lines
                   for m in re.findall(r"Records produced: (\d+)", line.decode() if isinstance(line, bytes) else line))
    _records, summary = await store._execute("PROFILE " + text, params, RoutingControl.WRITE)
    return _neo4j_hits(summary.profile)


async def test_adding_transfers_between_busy_accounts_seeks_each_by_id(store):
    await _two_accounts_with_many_transfers(store)
    rows = [{**row, "props": {**GREEN, "amount": 1}, "lean": None}
            for row in _rows(PROBED[:3] + ["transferred_to:new-1", "transferred_to:new-2"])]

    work = await _work(store, "ingest/add_relationships", {"rows": rows, "agency": None}, type="TRANSFERRED_TO")

    assert work < PARALLEL
    assert (await store.read("ingest/count_relationship", type="TRANSFERRED_TO"))[0]["n"] == PARALLEL + 2


async def test_adding_a_stored_transfer_again_returns_it_and_creates_nothing(store):
    await _two_accounts_with_many_transfers(store)
    rows = [{**row, "props": {**GREEN, "amount": 57}, "lean": None} for row in _rows(PROBED[1:2])]

    [out] = (await store.write_batches("ingest/add_relationships", rows, params={"agency": None},
                                       type="TRANSFERRED_TO")).returned

    assert [(e["id"], e["linked"], e["props"]["amount"]) for e in out["exceptions"]] == [
        ("transferred_to:t57", True, 57)]
    assert (await store.read("ingest/count_relationship", type="TRANSFERRED_TO"))[0]["n"] == PARALLEL


def _neo4j_rows_of(plan, operator: str) -> int:
    own = plan.get("rows", 0) if plan.get("operatorType", "").startswith(operator) else 0
    return own + sum(_neo4j_rows_of(child, operator) for child in plan.get("children", []))


async def _endpoints_found(store, name: str, params: dict, **placeholders: str) -> int:
    """Nodes statement ``name`` found through a node index seek, run once (it runs: writes are written)."""
    text = store.statements[name].render(**placeholders)
    if isinstance(store, EmbeddedStore):
        graph = store._graph
        lines = await graph.execute_command("GRAPH.PROFILE", graph.name, graph._build_params_header(params) + text)
        lines = [line.decode() if isinstance(line, bytes) else line for line in lines]
        return sum(int(m) for line in lines if "Node By Index Scan" in line
                   for m in re.findall(r"Records produced: (\d+)", line))
    _records, summary = await store._execute("PROFILE " + text, params, RoutingControl.WRITE)
    return _neo4j_rows_of(summary.profile, "NodeUniqueIndexSeek") + _neo4j_rows_of(summary.profile, "NodeIndexSeek")


async def test_adding_stored_transfers_again_seeks_none_of_their_endpoints(store):
    # a reload (the same file again): the stored relationship names its endpoints
    await _two_accounts_with_many_transfers(store)
    rows = [{**row, "props": {**GREEN, "amount": 1}, "lean": True} for row in _rows(PROBED)]

    found = await _endpoints_found(store, "ingest/add_relationships", {"rows": rows, "agency": None},
                                   type="TRANSFERRED_TO")

    assert found == 0
    assert (await store.read("ingest/count_relationship", type="TRANSFERRED_TO"))[0]["n"] == PARALLEL


async def test_adding_new_transfers_seeks_both_endpoints_of_each(store):
    await _two_accounts_with_many_transfers(store)
    rows = [{**row, "props": {**GREEN, "amount": 1}, "lean": None}
            for row in _rows(["transferred_to:new-1", "transferred_to:new-2"])]

    found = await _endpoints_found(store, "ingest/add_relationships", {"rows": rows, "agency": None},
                                   type="TRANSFERRED_TO")

    assert found == 4
    assert (await store.read("ingest/count_relationship", type="TRANSFERRED_TO"))[0]["n"] == PARALLEL + 2


async def test_merging_transfers_between_busy_accounts_seeks_each_by_id(store):
    await _two_accounts_with_many_transfers(store)
    rows = [{**row, "props": {**GREEN, "amount": 7}} for row in _rows(PROBED[:4] + ["transferred_to:new-1"])]

    work = await _work(store, "ingest/merge_relationships", {"rows": rows}, type="TRANSFERRED_TO")

    assert work < PARALLEL
    stored = await store.read("ingest/existing_relationships", {"ids": PROBED[:4] + ["transferred_to:new-1"]},
                              type="TRANSFERRED_TO")
    assert sorted((r["id"], r["start"], r["end"], r["props"]["amount"]) for r in stored) == sorted(
        (i, "acct-a", "acct-b", 7) for i in PROBED[:4] + ["transferred_to:new-1"])
    assert (await store.read("ingest/count_relationship", type="TRANSFERRED_TO"))[0]["n"] == PARALLEL + 1


async def test_replacing_retracting_and_deleting_transfers_seek_each_by_id(store):
    await _two_accounts_with_many_transfers(store)
    replace = [{**row, "props": {**GREEN, "id": row["id"], "amount": 3}} for row in _rows(PROBED)]
    retract = {"ids": PROBED, "source": "bank-feed", "owner": "TH-AMLO", "scoped": True, "reowned": None}

    work = [
        await _work(store, "ingest/existing_relationships", {"ids": PROBED}, type="TRANSFERRED_TO"),
        await _work(store, "ingest/replace_relationship_properties", {"rows": replace}, type="TRANSFERRED_TO"),
        await _work(store, "ingest/delete_relationships",
                    {"ids": PROBED[:2], "source": "bank-feed", "owner": "TH-AMLO", "scoped": True, "mark": "m-seek"},
                    type="TRANSFERRED_TO"),
        await _work(store, "ingest/retract_relationships", retract, type="TRANSFERRED_TO"),
    ]

    assert max(work) < PARALLEL
    left = await store.read("ingest/existing_relationships", {"ids": PROBED}, type="TRANSFERRED_TO")
    assert sorted((r["id"], r["props"]["amount"], list(r["props"]["sources"])) for r in left) == [
        (i, 3, []) for i in sorted(PROBED[2:])]


async def test_the_quarantine_check_seeks_stored_links_by_id(store):
    await _two_accounts_with_many_transfers(store)
    rows = [{"id": i, "ident": "acct-b", "holder": "acct-a"} for i in PROBED[:2] + ["transferred_to:new-1"]]

    work = await _work(store, "ingest/quarantined_links", {"rows": rows, "agency": "TH-DSI"}, type="TRANSFERRED_TO")
    [answer] = await store.read("ingest/quarantined_links", {"rows": rows, "agency": "TH-DSI"},
                                type="TRANSFERRED_TO")

    assert work < PARALLEL
    assert answer["ids"] == ["transferred_to:new-1"]
