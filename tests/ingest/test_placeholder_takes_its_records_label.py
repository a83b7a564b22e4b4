"""A placeholder's label is its link's guess (an FtM Membership's member is an Organization until
its record says otherwise): the record that resolves it, in a later load, leaves exactly its own
label chain, as in one load. Before (attack round 32, finding 2) the Person kept Organization
beside Person: a hit of a search for organisations, and her next record refused "label conflict"
or not depending on the order the store listed her labels."""

from __future__ import annotations

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.write_rules import _specific
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model

pytestmark = pytest.mark.backends

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
P1 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}
P1_DE = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "nationality": ["de"]}}
M1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"]}}


async def _load(store, tmp_path, name, *entities, owner=None):
    f = tmp_path / name
    f.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    if owner is None:
        return await run_load(store, FtmReader([f]), source="ftm", provenance=PROV)
    source = f"{owner.lower()}-ftm"
    return await run_load(store, FtmReader([f], source=source), source=source, viewer=owner,
                          provenance=Provenance(owner, "GREEN", (), "2026-01-01T00:00:00Z"))


async def _node(store, node_id):
    nodes = (await store.read("admin/snapshot"))[0]["nodes"]
    node = next(n for n in nodes if n["props"].get("id") == node_id)
    return sorted(node["labels"]), node["props"]


async def test_a_person_resolving_a_membership_placeholder_is_no_organization(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "links.ftm.json", M1)
    assert (await _node(empty_store, "p-1"))[0] == ["Entity", "Organization"]  # the link's guess
    await _load(empty_store, tmp_path, "people.ftm.json", P1)
    assert (await _node(empty_store, "p-1"))[0] == ["Entity", "Person"]


async def test_in_one_load_the_person_is_a_person_only(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "both.ftm.json", M1, P1)
    assert (await _node(empty_store, "p-1"))[0] == ["Entity", "Person"]


async def test_the_persons_next_record_loads(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "links.ftm.json", M1)
    await _load(empty_store, tmp_path, "people.ftm.json", P1)
    summary = await _load(empty_store, tmp_path, "people2.ftm.json", P1_DE)
    assert (summary.rows_loaded, summary.rows_rejected, summary.rejections) == (1, 0, [])
    assert (await _node(empty_store, "p-1"))[1]["nationality"] == ["DE"]


async def test_the_person_resolving_the_placeholder_has_its_country_codes(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "links.ftm.json", M1)
    await _load(empty_store, tmp_path, "people.ftm.json", P1_DE)
    labels, props = await _node(empty_store, "p-1")
    assert (labels, props.get("countryCodes")) == (["Entity", "Person"], ["DE"])


async def test_another_agencys_link_never_blocks_an_agencys_own_person(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "th.ftm.json", M1, owner="TH-DSI")
    await _load(empty_store, tmp_path, "kh1.ftm.json", P1, owner="KH-NP")
    s = await _load(empty_store, tmp_path, "kh2.ftm.json", P1_DE, owner="KH-NP")
    assert (s.rows_loaded, s.rows_rejected) == (1, 0), [r.reason for r in s.rejections]
    assert (await _node(empty_store, "p-1"))[0] == ["Entity", "Person"]


async def test_the_person_is_no_hit_of_a_search_for_organizations(empty_store, tmp_path):
    from graphapi.schema.context import Context
    from graphapi.schema.schema import schema as graphql_schema
    from graphapi.security import Principal

    await _load(empty_store, tmp_path, "links.ftm.json", M1)
    await _load(empty_store, tmp_path, "people.ftm.json", P1)
    reader = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
    found = {}
    for label in ("Organization", "Person"):
        query = f'{{ search(text: "Anna Schmidt", labels: [{label}]) {{ edges {{ node {{ lintasId }} }} }} }}'
        r = await graphql_schema.execute(query, context_value=Context(empty_store, reader, "q"))
        assert r.errors is None, r.errors
        found[label] = [e["node"]["lintasId"] for e in r.data["search"]["edges"]]
    assert found == {"Organization": [], "Person": ["p-1"]}


def test_two_sibling_labels_answer_as_the_first_by_name_in_any_order():
    # such a node is no longer written; one found reads the same whatever order the store lists
    model = load_model()
    assert _specific(model, ["Entity", "Person", "Organization"]) == "Organization"
    assert _specific(model, ["Organization", "Entity", "Person"]) == "Organization"
    assert _specific(model, ["Person", "Company", "Organization", "Entity"]) == "Company"
