"""The GraphQL types are derived from the ontology: every label, property and relationship type."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)

from graphapi.ontology import TLP_LEVELS, load_model
from graphapi.schema.schema import schema
from graphapi.schema.types.relationship import COMMON, relationship_type_name

MODEL = load_model()
GQL = schema._schema


def _unwrap(t):
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def test_schema_every_concrete_label_is_a_type_implementing_entity_and_node() -> None:
    # a label other labels extend (Organization) is an interface, its own nodes a Generic<label>
    # type; which further interfaces a type implements: tests/schema/test_label_interfaces.py
    from graphapi.schema.types.labels import LABEL_TYPES

    for label in MODEL.concrete_labels:
        gql_type = GQL.get_type(LABEL_TYPES[label.name].__strawberry_definition__.name)
        assert isinstance(gql_type, GraphQLObjectType), label.name
        assert {"Entity", "Node"} <= {i.name for i in gql_type.interfaces}
        assert gql_type.description.endswith(label.description)


def test_schema_label_fields_are_typed_from_the_ontology() -> None:
    scalars = {"integer": "Int", "float": "Float", "boolean": "Boolean"}
    for label in MODEL.concrete_labels:
        fields = GQL.get_type(label.name).fields
        for prop in label.properties.values():
            if prop.internal or prop.name in ("id", "caption", "conflicts"):  # conflicts: typed (Conflict)
                continue
            field = fields[prop.name]
            named = _unwrap(field.type)
            if prop.type == "enum":
                assert isinstance(named, GraphQLEnumType), f"{label.name}.{prop.name}"
                assert sorted(v.value for v in named.values.values()) == sorted(prop.values)
            else:
                assert isinstance(named, GraphQLScalarType)
                assert named.name == scalars.get(prop.type, "String"), f"{label.name}.{prop.name}"
            is_list = isinstance(field.type, GraphQLNonNull) and isinstance(field.type.of_type, GraphQLList)
            assert is_list == prop.multiple, f"{label.name}.{prop.name}"
            assert field.description == (prop.description or None)


def test_schema_internal_properties_are_never_exposed() -> None:
    internal = {p.name for lb in MODEL.labels.values() for p in lb.properties.values() if p.internal}
    assert "searchText" in internal
    for type_ in GQL.type_map.values():
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            assert not internal & set(type_.fields), type_.name


def test_schema_entity_interface_has_ids_labels_caption_provenance() -> None:
    entity = GQL.get_type("Entity")
    assert {"id", "lintasId", "label", "labels", "caption", "relationships"} <= set(entity.fields)
    assert set(MODEL.provenance) <= set(entity.fields)
    assert str(entity.fields["id"].type) == "ID!"
    assert [v.value for v in GQL.get_type("TLP").values.values()] == list(TLP_LEVELS)


def test_schema_every_relationship_type_is_an_enum_value_and_a_type() -> None:
    enum = GQL.get_type("RelationshipType")
    assert set(enum.values) == set(MODEL.relationships)
    for name, rt in MODEL.relationships.items():
        gql_type = GQL.get_type(relationship_type_name(name))
        assert isinstance(gql_type, GraphQLObjectType), name
        assert [i.name for i in gql_type.interfaces] == ["Relationship"]
        for prop, spec in rt.properties.items():
            if prop != "id" and not spec.internal:  # internal: the store's bookkeeping (heldApart)
                assert prop in gql_type.fields, f"{name}.{prop}"
            if spec.internal:
                assert prop not in gql_type.fields, f"{name}.{prop}"
    assert COMMON == {"id", "from", "to", "recordId", "assumedTimeZone", "dateConflicts", "heldApart", "shares",
                      "echoes", "echoLevels", "blindShadow", "blindStated", "victimMarkOwners"}


def test_schema_label_enum_lists_every_label_but_entity() -> None:
    assert set(GQL.get_type("Label").values) == set(MODEL.labels) - {"Entity"}


def test_schema_root_fields() -> None:
    query = GQL.query_type
    assert set(query.fields) == {
        "node", "entity", "entities", "search", "neighborhood", "shortestPaths",
        "restrictedHits", "restrictedLookup", "accessRequests", "auditTrail", "auditEntries",  # security (issue 4)
        "moneyTrail", "timeline", "sharedIdentifiers", "coTravellers", "coTravelGroups", "nearby", "within",  # issue 15
        "expand", "edgesAmong", "paths", "syndicates", "brokers",
        "quarantinedIdentifiers",  # the circuit breaker's quarantines (u-user52, 2)
    }
    # nullable: a field that fails answers null beside the others' data (a page's panels)
    assert str(query.fields["neighborhood"].type) == "Subgraph"
    assert str(query.fields["shortestPaths"].type) == "[Path!]"
    assert all(not str(field.type).endswith("!") for field in query.fields.values())
    connection = GQL.get_type("RelationshipConnection")
    assert {"edges", "pageInfo", "totalCount"} == set(connection.fields)
    assert {"cursor", "direction", "relationship", "node"} == set(GQL.get_type("RelationshipEdge").fields)


def test_schema_every_connection_has_the_relay_shape_and_a_total_count() -> None:
    # new-user trial 7: the lists paged four ways; each is now the one Relay shape
    connections = {name: t for name, t in GQL.type_map.items() if name.endswith("Connection")}
    assert set(connections) == {"RelationshipConnection", "SearchConnection", "TimelineConnection",
                                "AuditEntryConnection", "QuarantinedIdentifierConnection"}
    for name, connection in connections.items():
        assert {"edges", "pageInfo", "totalCount"} <= set(connection.fields), name
        edge = GQL.get_type(name.removesuffix("Connection") + "Edge")
        assert {"cursor", "node"} <= set(edge.fields), name
    assert set(GQL.get_type("PageInfo").fields) == {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}
