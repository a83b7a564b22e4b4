"""Neo4j's ``ingest/add_relationships`` creates a new relationship after one locking seek of its id,
never with a relationship MERGE. The MERGE (LockingMerge) sought the id a second time, locked both
endpoints and put an Eager between each of its SETs: on prepared rows the statement took 2.1x the
server time of the same one with CREATE, ~2.5x a bare CREATE (docs/performance.md, "Neo4j's
write statements"). CREATE is safe beside another loader because that first seek, in a writing
query, locks the id's index entry on a miss until the transaction ends: the second test holds a
transaction open on a new id and shows another one, adding the same id, wait and then find it."""

import asyncio

import pytest
from neo4j import RoutingControl
from replan import replan

from graphapi.store.neo4j_args import in_one_map
from graphapi.store.neo4j_rows import collected

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.neo4j, pytest.mark.drops_neo4j_plans]

GREEN = {"tlp": "GREEN", "owner": "TH-AMLO", "sources": ["bank-feed"]}
#: Transfers already stored between the two accounts: a hub pair, as the bench's feeds have.
STORED = 200


def _operators(plan: dict):
    yield plan["operatorType"].split("@")[0], plan.get("args", {}).get("Details", "")
    for child in plan.get("children", []):
        yield from _operators(child)


def _transfer(i: int | str, amount: int = 1) -> dict:
    return {"id": f"transferred_to:t{i}", "start": "acct-a", "end": "acct-b", "props": {**GREEN, "amount": amount},
            "lean": None}


async def _busy_accounts(store) -> None:
    await store.clear()
    accounts = [{"id": "acct-a", "props": GREEN}, {"id": "acct-b", "props": GREEN}]
    await store.write_batches("ingest/create_nodes", accounts, labels="BankAccount")
    await store.write_batches("ingest/add_relationships", [_transfer(i, i) for i in range(STORED)],
                              params={"agency": None}, type="TRANSFERRED_TO")


async def test_a_new_relationship_is_created_after_one_locking_seek_of_its_id(neo4j_store):
    await _busy_accounts(neo4j_store)
    await replan(neo4j_store)
    text = neo4j_store.statements["ingest/add_relationships"].render(type="TRANSFERRED_TO")
    rows = [_transfer(7, 7), _transfer("new-1"), _transfer("new-2")]

    _records, summary = await neo4j_store._execute("PROFILE " + text, {"rows": rows, "agency": None},
                                                   RoutingControl.WRITE)

    plan = list(_operators(summary.profile))
    shown = "\n".join(f"{op} {details}" for op, details in plan)
    relationship_seeks = [op for op, _ in plan if op.startswith("DirectedRelationship") and "Seek" in op]
    assert relationship_seeks == ["DirectedRelationshipUniqueIndexSeek(Locking)"], shown
    assert not [op for op, _ in plan if "Merge" in op], shown
    [(_, written)] = [(op, details) for op, details in plan if op == "Foreach"]
    assert "CREATE (a)-[r:TRANSFERRED_TO {id: row.id}]->(b)" in written, shown
    # one Eager ahead of the writes (the stored one's properties read first), one after them
    assert len([op for op, _ in plan if op == "Eager"]) == 2, shown
    stored = await neo4j_store.read("ingest/existing_relationships",
                                    {"ids": ["transferred_to:t7", "transferred_to:tnew-1"]}, type="TRANSFERRED_TO")
    assert sorted((r["id"], r["props"]["amount"]) for r in stored) == [
        ("transferred_to:t7", 7), ("transferred_to:tnew-1", 1)]
    assert (await neo4j_store.read("ingest/count_relationship", type="TRANSFERRED_TO"))[0]["n"] == STORED + 2
    await neo4j_store.clear()


async def _add_in(tx, text: str, rows: list[dict]) -> dict:
    query, params = in_one_map(text, {"rows": rows, "agency": None})
    record = await (await tx.run(query, params)).single()
    return dict(zip(("same", "exceptions"), record["lintas_rows"][0], strict=True))


async def test_a_loader_adding_an_id_another_is_adding_waits_and_finds_it_stored(neo4j_store):
    await _busy_accounts(neo4j_store)
    text = collected(neo4j_store.statements["ingest/add_relationships"].render(type="TRANSFERRED_TO")).text
    driver = neo4j_store._driver
    async with driver.session(database=neo4j_store.database) as first, \
            driver.session(database=neo4j_store.database) as second:
        tx = await first.begin_transaction()
        assert await _add_in(tx, text, [_transfer("race", 1)]) == {"same": [], "exceptions": []}

        async def other() -> dict:
            other_tx = await second.begin_transaction()
            out = await _add_in(other_tx, text, [_transfer("race", 2)])
            await other_tx.commit()
            return out

        waiting = asyncio.create_task(other())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # held at the id's seek while the first transaction is open
        await tx.commit()
        out = await asyncio.wait_for(waiting, 60)

    assert [(e["id"], e["linked"], e["props"]["amount"]) for e in out["exceptions"]] == [
        ("transferred_to:trace", True, 1)]
    assert (await neo4j_store.read("ingest/count_relationship", type="TRANSFERRED_TO"))[0]["n"] == STORED + 1
    await neo4j_store.clear()
