"""An entity's Relay global id (``Entity.id``, what a front end keys its chart by) is taken
wherever a Lintas id is asked for: ``entity``, ``entities``, ``expand`` (new-user trial 7: passing
``Entity.id`` back answered "no entity with id 'UGVyc29u…'")."""

from __future__ import annotations

import base64

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_id, relay_node_id
from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security.principal import DEMO_PRINCIPAL


def _global(label: str, lintas_id: str) -> str:
    return base64.b64encode(f"{label}:{lintas_id}".encode()).decode()


async def _data(store, query: str, **variables) -> dict:
    result = await schema.execute(query, variable_values=variables, context_value=Context(store, DEMO_PRINCIPAL, "t"))
    assert result.errors is None, result.errors
    return result.data


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_entity_by_its_relay_id_is_the_entity_by_its_lintas_id(fixture_graph) -> None:
    relay = (await _data(fixture_graph, '{ entity(id: "per-zhao-wei") { id } }'))["entity"]["id"]
    assert relay == _global("Person", "per-zhao-wei")
    got = await _data(fixture_graph, "query($id: String!) { entity(id: $id) { lintasId caption } }", id=relay)
    assert got["entity"] == {"lintasId": "per-zhao-wei", "caption": "Zhao Wei"}


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_expand_and_entities_take_relay_ids_beside_lintas_ids(fixture_graph) -> None:
    relay = _global("Compound", "cmp-lucky-dragon")
    by_relay = await _data(fixture_graph, "query($ids: [String!]!) { expand(ids: $ids) { nodes { lintasId } } }",
                           ids=[relay])
    by_lintas = await _data(fixture_graph, '{ expand(ids: ["cmp-lucky-dragon"]) { nodes { lintasId } } }')
    assert by_relay == by_lintas and len(by_relay["expand"]["nodes"]) > 1
    both = await _data(fixture_graph, "query($ids: [String!]!) { entities(ids: $ids) { lintasId } }",
                       ids=[relay, "per-zhao-wei"])
    assert both["entities"] == [{"lintasId": "cmp-lucky-dragon"}, {"lintasId": "per-zhao-wei"}]


def test_a_base64_id_of_no_entity_type_stays_the_id_it_is() -> None:
    assert relay_node_id(_global("Query", "per-zhao-wei")) is None
    assert relay_node_id(_global("Person", "")) is None
    assert check_id("id", "cGVyLXpoYW8td2Vp") == "cGVyLXpoYW8td2Vp"  # base64 of "per-zhao-wei": no label
    assert check_id("id", " per-zhao-wei ") == "per-zhao-wei"


def test_a_relay_id_holding_a_bad_id_is_refused_like_the_bad_id() -> None:
    with pytest.raises(InvalidArgument, match="^id "):
        check_id("id", _global("Person", "\x00"))


def test_an_entitys_relay_id_is_no_id_of_its_own() -> None:
    # attack round 20, B5: an entity named by another's Relay id took its place in every lookup
    from graphapi.ontology.ids import InvalidId, canonical_id

    with pytest.raises(InvalidId, match="is an entity's Relay id"):
        canonical_id(_global("Person", "per-kh-amb-3"))
    assert canonical_id(_global("Query", "per-kh-amb-3")) == _global("Query", "per-kh-amb-3")
