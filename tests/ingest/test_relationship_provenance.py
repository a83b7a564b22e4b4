"""Per-value provenance on relationships (issue 12): each value of a relationship (a stake's
``share``, an association's kind) records the sources that asserted it, as a node's values do; a
DEL or a whole-source replace retracts only its source's relationship statements, and a
relationship goes only when no statement remains. On both backends."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import Records, graph_counts

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.values import relationship_property_values
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00")
LATER = Provenance(owner="public", tlp="CLEAR", seen="2026-03-01T00:00:00")
READER = Principal("reader", agency="PH-NBI")
ENDS = [NodeRecord("Person", "per-a", {"name": "Alpha"}), NodeRecord("Company", "co-c", {"name": "Gamma Co"})]



def _owns(source: str, line: int, op: str = "merge", **props: Any) -> EdgeRecord:
    return EdgeRecord("OWNS", "owns-ac", "per-a", "co-c", props, Origin(source, f"{source}.csv", line), op=op)


async def _load(store, *records: Any, source: str, prov: Provenance = PUBLIC, replace: bool = False):
    return await run_load(store, Records(*records), source=source, provenance=prov, replace=replace)


async def _said(store, prop: str, viewer: Principal = READER) -> dict[str, list[str]]:
    """value -> its sources, as Relationship.values(property:) answers ``viewer``."""
    found = await relationship_property_values(store, viewer, [("owns-ac", "per-a", "co-c")], prop)
    return {v.value: sorted(s.source for s in v.sources) for v in found["owns-ac"]}


async def _stored(store) -> dict[str, Any]:
    rows = await store.read("ingest/existing_relationships", {"ids": ["owns-ac"]}, type="OWNS")
    return dict(rows[0]["props"]) if rows else {}


async def test_two_sources_of_a_stake_each_keep_their_own_share(any_store) -> None:
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    await _load(any_store, _owns("leak", 9, share=60.0, **{"from": "2019"}), source="leak")
    assert await _said(any_store, "share") == {"51.0": ["registry"], "60.0": ["leak"]}
    assert await _said(any_store, "from") == {"2019": ["leak"]}
    stored = await _stored(any_store)
    assert (stored["share"], sorted(stored["sources"])) == (51.0, ["leak", "registry"])  # the first value stays


async def test_a_relationship_value_says_its_record_owner_level_and_when_it_was_first_and_last_seen(
        any_store) -> None:
    await any_store.clear()
    await write_records(any_store, [*ENDS, _owns("registry", 3, share=51.0)], provenance=PUBLIC, source="registry")
    await write_records(any_store, [_owns("registry", 3, share=51.0)], provenance=LATER, source="registry")
    [value] = (await relationship_property_values(any_store, READER, [("owns-ac", "per-a", "co-c")],
                                                  "share"))["owns-ac"]
    [said] = value.sources
    assert (value.value, said.source, said.record_id, said.owner, said.tlp) == (
        "51.0", "registry", "registry.csv:3", "public", "CLEAR")
    assert (said.first_seen, said.last_seen) == ("2026-01-01T00:00:00", "2026-03-01T00:00:00")


async def test_reloading_the_same_relationships_changes_no_count_and_writes_no_statement(any_store) -> None:
    await any_store.clear()
    first = await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    counts = await graph_counts(any_store)
    again = await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    assert first.statements_written == 3  # two nodes and the stake
    assert (await graph_counts(any_store), again.statements_written) == (counts, 0)
    assert counts == (2, 1)  # statements are not nodes of the graph


async def test_a_del_retracts_only_its_sources_statement_and_the_relationship_keeps_the_others_value(
        any_store) -> None:
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    await _load(any_store, _owns("leak", 9, share=60.0), source="leak")
    s = await _load(any_store, _owns("registry", 4, op="delete"), source="registry")
    assert (s.statements_retracted, s.relationships_deleted, s.relationships_retracted) == (1, 0, 1)
    assert await _said(any_store, "share") == {"60.0": ["leak"]}
    stored = await _stored(any_store)
    assert (stored["share"], stored["sources"], stored["recordId"]) == (60.0, ["leak"], "leak.csv:9")


async def test_a_relationship_goes_only_when_no_statement_remains(any_store) -> None:
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    # another agency says the same stake at its own AMBER level: kept as its statement only
    await _load(any_store, _owns("th", 5, share=51.0), source="th",
                prov=Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-02-01T00:00:00"))
    s = await _load(any_store, _owns("registry", 4, op="delete"), source="registry")
    # kept for TH-DSI's statement, re-owned at its level: to the registry's owner, deleted
    assert (s.statements_retracted, s.relationships_deleted, await graph_counts(any_store)) == (1, 1, (2, 1))
    gone = await _load(any_store, _owns("th", 6, op="delete"), source="th",
                       prov=Provenance(owner="TH-DSI", tlp="AMBER"))
    assert (gone.statements_retracted, gone.relationships_deleted) == (1, 1)
    assert await graph_counts(any_store) == (2, 0)


async def test_a_mod_of_a_relationship_replaces_its_own_sources_values_only(any_store) -> None:
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    await _load(any_store, _owns("leak", 9, share=60.0), source="leak")
    await _load(any_store, _owns("registry", 4, op="replace", share=49.0), source="registry", prov=LATER)
    assert await _said(any_store, "share") == {"60.0": ["leak"], "49.0": ["registry"]}
    assert (await _stored(any_store))["share"] == 60.0  # the earliest statement's value leads now


async def test_replace_retracts_a_relationship_value_the_source_no_longer_gives(any_store) -> None:
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0, **{"from": "2019"}), source="registry")
    await _load(any_store, _owns("leak", 9, **{"from": "2019"}), source="leak")
    s = await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry", prov=LATER,
                    replace=True)
    assert (s.values_retracted, s.relationships_deleted) == (1, 0)
    assert await _said(any_store, "from") == {"2019": ["leak"]}
    assert await _said(any_store, "share") == {"51.0": ["registry"]}
    counts = await graph_counts(any_store)
    again = await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry", prov=LATER,
                        replace=True)
    assert (again.values_retracted, again.statements_retracted, await graph_counts(any_store)) == (0, 0, counts)


async def test_replace_deletes_a_relationship_whose_only_statement_it_retracts(any_store) -> None:
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    s = await _load(any_store, *ENDS, source="registry", prov=LATER, replace=True)
    assert (s.statements_retracted, s.relationships_deleted, await graph_counts(any_store)) == (1, 1, (2, 0))


async def test_a_del_that_deletes_a_node_deletes_the_statements_of_its_relationships_with_it(any_store) -> None:
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    s = await _load(any_store, NodeRecord("Person", "per-a", {}, Origin("registry", "registry.csv", 4), op="delete"),
                    source="registry")
    assert (s.nodes_deleted, s.relationships_deleted, s.statements_retracted) == (1, 1, 2)  # the person's, the stake's
    assert await any_store.read("provenance/statements_of", {"ids": ["owns-ac"]}) == []


async def test_sharing_a_relationship_opens_its_owners_statements_with_it(any_store) -> None:
    from graphapi.security.share import share

    await any_store.clear()
    await _load(any_store, *ENDS, _owns("th", 3, share=51.0), source="th",
                prov=Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-01-01T00:00:00"))
    assert await _said(any_store, "share") == {}  # a PH reader sees neither the stake nor its values
    await share(any_store, Principal("sup-th", agency="TH-DSI", roles=frozenset({"supervisor"})),
                ["per-a", "co-c"], ["PH-NBI"], "GREEN")
    assert await _said(any_store, "share") == {"51.0": ["th"]}


async def test_a_del_of_a_node_leaves_its_relationship_to_the_agency_with_a_statement_about_it(any_store) -> None:
    # attack round 27, F2: the node and its link were kept, emptied, for every agency to see;
    # now the DEL reads as a plain delete, and TH-DSI keeps its own assertion, held apart
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    await _load(any_store, _owns("th", 5, share=51.0), source="th",
                prov=Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-02-01T00:00:00"))
    s = await _load(any_store, NodeRecord("Person", "per-a", {}, Origin("registry", "registry.csv", 4), op="delete"),
                    source="registry")
    assert (s.nodes_deleted, s.nodes_retracted, s.relationships_deleted) == (1, 0, 1)
    assert await graph_counts(any_store) == (2, 1)
    th = Principal("analyst-th", agency="TH-DSI")
    assert await _said(any_store, "share", th) == {"51.0": ["th"]}
    assert await _said(any_store, "share") == {}


async def test_a_del_never_empties_a_relationship_loaded_before_relationship_statements(any_store) -> None:
    await any_store.clear()
    await _load(any_store, *ENDS, _owns("registry", 3, share=51.0), source="registry")
    await any_store.write("provenance/delete_statements_about", {"ids": ["owns-ac"]})  # as an older store holds it
    await _load(any_store, _owns("leak", 9, share=60.0, **{"from": "2019"}), source="leak")
    s = await _load(any_store, _owns("leak", 10, op="delete"), source="leak")
    assert (s.statements_retracted, s.relationships_deleted, s.relationships_retracted) == (1, 0, 1)
    stored = await _stored(any_store)  # registry's values have no statement to rebuild them from: kept
    assert (stored["share"], stored["from"], stored["sources"]) == (51.0, "2019", ["registry"])
    gone = await _load(any_store, _owns("registry", 4, op="delete"), source="registry")
    assert (gone.statements_retracted, gone.relationships_deleted, await graph_counts(any_store)) == (0, 1, (2, 0))


async def test_a_transfers_amount_rebuilt_after_a_replace_stays_a_number(any_store) -> None:
    # new-user report: a --replace reload stored amounts as text, moneyTrail(minAmount:) then
    # passed the transfer by, and the load reported a conflict of the source with itself
    await any_store.clear()
    accounts = [NodeRecord("BankAccount", f"account:TH:BKKBTHBK:{n}", {"accountKey": f"TH:BKKBTHBK:{n}"})
                for n in ("4417005523", "4417009918")]
    pay = EdgeRecord("TRANSFERRED_TO", "tr-1", "account:TH:BKKBTHBK:4417005523",
                     "account:TH:BKKBTHBK:4417009918",
                     {"amount": 1062.49, "currency": "PHP", "at": "2026-01-02T03:04:05"}, Origin("fiu", "f.csv", 2))
    await _load(any_store, *accounts, pay, source="fiu")
    again = await _load(any_store, *accounts, pay, source="fiu", replace=True)
    [stored] = await any_store.read("ingest/existing_relationships", {"ids": ["tr-1"]}, type="TRANSFERRED_TO")
    assert (stored["props"]["amount"], again.conflicts) == (1062.49, 0)
