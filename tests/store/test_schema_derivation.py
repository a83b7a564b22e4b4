"""Constraints and indexes are derived from the ontology and cover every label."""

import pytest
from falkordb_indexes import drop_entity_fulltext
from neo4j import RoutingControl

from graphapi.ontology import load_model

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.drops_neo4j_plans]


async def test_init_schema_indexes_every_labels_natural_key(store):
    indices = await store._graph.list_indices()
    indexed = {(row[0], prop) for row in indices.result_set for prop in row[1]}
    for lb in load_model().concrete_labels:
        for key in lb.key:
            label = "Entity" if key == "id" else lb.name
            assert (label, key) in indexed, f"{lb.name}.{key} has no index"
    assert {("Entity", "searchText"), ("Entity", "caption"), ("Entity", "searchLatin")} <= indexed


async def test_init_schema_is_idempotent(store):
    assert await store.init_schema() == []


async def test_entity_id_is_unique(store):
    constraints = await store._graph.list_constraints()
    assert any(c["label"] == "Entity" and c["properties"] == ["id"] and c["type"] == "UNIQUE" for c in constraints)


@pytest.mark.neo4j
async def test_neo4j_init_schema_indexes_every_labels_natural_key(neo4j_store):
    indexes = await neo4j_store.read("schema/indexes")
    ranged = {(row["labels"][0], prop) for row in indexes if row["type"] == "RANGE" for prop in row["properties"]}
    for lb in load_model().concrete_labels:
        for key in lb.key:
            label = "Entity" if key == "id" else lb.name
            assert (label, key) in ranged, f"{lb.name}.{key} has no index"
    [fulltext] = [row for row in indexes if row["type"] == "FULLTEXT" and not row["name"].startswith("crossed_")]
    assert (fulltext["name"], fulltext["labels"], fulltext["properties"]) == (
        "entity_search", ["Entity"], ["caption", "searchText", "searchLatin", "searchAudience"])


@pytest.mark.neo4j
async def test_neo4j_init_schema_is_idempotent(neo4j_store):
    assert await neo4j_store.init_schema() == []


@pytest.mark.neo4j
async def test_neo4j_entity_id_is_unique(neo4j_store):
    constraints = await neo4j_store.read("schema/constraints")
    assert sorted((c["type"], c["labels"], c["properties"]) for c in constraints if c["type"] == "UNIQUENESS") == [
        ("UNIQUENESS", ["Entity"], ["id"]), ("UNIQUENESS", ["Statement"], ["id"]),  # statements: docs/provenance.md
        ("UNIQUENESS", ["WriteLease"], ["id"])]  # the write lease: graphapi/ingest/write_lease.py


@pytest.mark.neo4j
async def test_neo4j_each_relationship_types_id_is_unique(neo4j_store):
    # the loader seeks stored relationships by id, and MERGE locks the id (ingest/add_relationships)
    constraints = await neo4j_store.read("schema/constraints")
    unique = sorted(c["labels"][0] for c in constraints
                    if c["type"] == "RELATIONSHIP_UNIQUENESS" and c["properties"] == ["id"])
    assert unique == sorted(load_model().relationships)


async def test_init_schema_indexes_each_relationship_types_id(store):
    # the loader seeks stored relationships by id (ingest/add_relationships)
    indices = await store._graph.list_indices()
    indexed = sorted(row[0] for row in indices.result_set if row[6] == "RELATIONSHIP" and "id" in row[1])
    assert indexed == sorted(load_model().relationships)


async def test_init_schema_adds_latin_spellings_to_an_older_fulltext_index(store):
    # an index made before searchLatin existed: init-db adds the field to it
    await drop_entity_fulltext(store)
    await store._graph.query("CALL db.idx.fulltext.createNodeIndex('Entity', 'caption', 'searchText', "
                             "'searchPrefixes')")
    assert await store.init_schema() == ["fulltext Entity(searchLatin)", "fulltext Entity(searchAudience)"]
    indices = await store._graph.list_indices()
    indexed = {(row[0], prop) for row in indices.result_set for prop in row[1]}
    assert {("Entity", "searchLatin"), ("Entity", "searchText")} <= indexed


async def test_init_schema_adds_the_audience_field_and_backfills_entities_stored_before_it(empty_store):
    # a store made before searchAudience (attack round 26, G2): its entities are found again after init-db
    store = empty_store
    await store.write_batches("ingest/create_nodes", [
        {"id": "per-old", "props": {"name": "Oldstore", "caption": "Oldstore", "owner": "KH-NP", "tlp": "GREEN"}}],
        labels="Person")
    await store._graph.query("MATCH (n:Entity) REMOVE n.searchAudience")
    await drop_entity_fulltext(store)
    await store._graph.query("CALL db.idx.fulltext.createNodeIndex('Entity', 'caption', 'searchText', "
                             "'searchPrefixes', 'searchLatin')")
    assert await store.init_schema() == ["fulltext Entity(searchAudience)"]
    found = await store._graph.query("MATCH (n:Entity {id: 'per-old'}) RETURN n.searchAudience")
    assert found.result_set == [["zall"]]
    rows = await store._graph.query("CALL db.idx.fulltext.queryNodes('Entity', '@searchAudience:(zall)') "
                                    "YIELD node RETURN node.id")
    assert rows.result_set == [["per-old"]]


@pytest.mark.neo4j
async def test_neo4j_init_schema_makes_an_older_fulltext_index_again_over_latin_spellings(neo4j_store):
    async with neo4j_store._driver.session() as session:
        await session.run("DROP INDEX entity_search IF EXISTS")
        await session.run("CREATE FULLTEXT INDEX entity_search FOR (n:Entity) ON EACH [n.caption, n.searchText]")
    assert await neo4j_store.init_schema() == ["fulltext Entity(caption, searchText, searchLatin, searchAudience)"]
    [fulltext] = [row for row in await neo4j_store.read("schema/indexes")
                  if row["type"] == "FULLTEXT" and not row["name"].startswith("crossed_")]  # the crossings' is its own
    assert fulltext["properties"] == ["caption", "searchText", "searchLatin", "searchAudience"]


async def test_the_write_lease_label_exists_indexed_and_unique_before_any_lease_is_taken(store):
    # two first MERGEs of a lease planned before its label existed each made a node (FalkorDB)
    constraints = await store._graph.list_constraints()
    assert any(c["label"] == "WriteLease" and c["properties"] == ["id"] and c["type"] == "UNIQUE" for c in constraints)
    labels = {row[0] for row in (await store._graph.query("CALL db.labels()")).result_set}
    assert "WriteLease" in labels


@pytest.mark.backends
async def test_init_schema_with_the_schema_in_place_asks_once_and_writes_nothing(store, monkeypatch):
    # attack round 29, L1: a restarted worker's ~60 schema writes each waited behind a running search
    await store.init_schema()
    statements = []
    if store.dialect == "neo4j":
        execute = store._execute

        async def spy(text, params, routing, timeout_ms=None):
            statements.append(("read" if routing == RoutingControl.READ else "write", text.split("\n")[-1]))
            return await execute(text, params, routing, timeout_ms)
        monkeypatch.setattr(store, "_execute", spy)
    else:
        graph = store._graph
        plain_query = graph.plain_query

        async def spy(text, params, limit, read_only):
            statements.append(("read" if read_only else "write", text.split("\n")[-1]))
            return await plain_query(text, params, limit, read_only)
        monkeypatch.setattr(graph, "plain_query", spy)

        async def no_constraint(*args):
            statements.append(("write", "constraint"))
        monkeypatch.setattr(graph, "create_node_unique_constraint", no_constraint)
    assert await store.init_schema() == []
    assert [kind for kind, _text in statements] == ["read"], statements
