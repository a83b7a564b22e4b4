"""The GraphQL types follow the ontology's inheritance, and FollowTheMoney's: a label other labels
extend is an interface its sub-labels' types implement (new-user trial 8: ``Company`` did not
implement ``Organization``, so ``... on Organization`` missed every company; FtM: Company extends
Organization)."""

import pytest
from followthemoney import model as ftm_model
from strawberry import relay

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

MODEL = load_model()
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def _graphql_type(label: str):
    """The GraphQL object type that shows nodes of ``label``."""
    from graphapi.schema.types.labels import LABEL_TYPES
    return graphql_schema._schema.get_type(LABEL_TYPES[label].__strawberry_definition__.name)


def _interfaces(label: str) -> set[str]:
    return {i.name for i in _graphql_type(label).interfaces}


@pytest.mark.parametrize("label", [lb.name for lb in MODEL.concrete_labels])
def test_each_label_type_implements_the_interface_of_every_ancestor_label(label):
    extended = any(label in other.ancestors for other in MODEL.labels.values())  # its own interface too
    assert _interfaces(label) == {"Node", *MODEL.label(label).ancestors, *([label] if extended else [])}


@pytest.mark.parametrize("label", [lb.name for lb in MODEL.concrete_labels if ftm_model.get(lb.name) is not None])
def test_each_label_that_is_an_ftm_schema_implements_its_ftm_ancestors_lintas_shows(label):
    ftm_ancestors = {s.name for s in ftm_model.get(label).schemata} - {label}
    assert ftm_ancestors & set(MODEL.labels) <= _interfaces(label)


def test_company_implements_organization():
    assert {"Organization", "Entity", "Node"} == _interfaces("Company")


def test_a_label_others_extend_is_an_interface_and_its_own_nodes_a_generic_type():
    from graphql import GraphQLInterfaceType
    assert isinstance(graphql_schema._schema.get_type("Organization"), GraphQLInterfaceType)
    assert _graphql_type("Organization").name == "GenericOrganization"


QUERY = """{ entities(ids: ["co-front", "org-plain", "per-somchai"]) {
  __typename id label ... on Organization { name registrationNumber }
} }"""


@pytest.mark.asyncio(loop_scope="session")
async def test_a_fragment_on_organization_matches_a_company_and_a_plain_organization(backend_empty_store):
    await write_records(backend_empty_store, [
        NodeRecord("Company", "co-front", {"name": "Front Co Ltd", "registrationNumber": ["0105561"]}),
        NodeRecord("Organization", "org-plain", {"name": "Plain Foundation"}),
        NodeRecord("Person", "per-somchai", {"name": "Somchai Jaidee"})],
        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    result = await graphql_schema.execute(QUERY, context_value=Context(backend_empty_store, TH, "ifaces"))
    assert result.errors is None, result.errors
    company, plain, person = result.data["entities"]
    assert {k: v for k, v in company.items() if k != "id"} == {
        "__typename": "Company", "label": "Company", "name": "Front Co Ltd", "registrationNumber": ["0105561"]}
    assert {k: v for k, v in plain.items() if k != "id"} == {
        "__typename": "GenericOrganization", "label": "Organization", "name": "Plain Foundation",
        "registrationNumber": []}
    assert set(person) == {"__typename", "id", "label"}
    assert relay.GlobalID.from_id(plain["id"]).type_name == "Organization"


@pytest.mark.asyncio(loop_scope="session")
async def test_a_plain_organizations_relay_id_refetches_it(backend_empty_store):
    await write_records(backend_empty_store, [NodeRecord("Organization", "org-plain", {"name": "Plain Foundation"})],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    gid = str(relay.GlobalID("Organization", "org-plain"))
    result = await graphql_schema.execute(f'{{ node(id: "{gid}") {{ __typename ... on Organization {{ name }} }} }}',
                                          context_value=Context(backend_empty_store, TH, "ifaces"))
    assert result.errors is None, result.errors
    assert result.data["node"] == {"__typename": "GenericOrganization", "name": "Plain Foundation"}
