"""The ontology model: read once from YAML, cross-linked, the single source of names."""

import pytest

from graphapi.ontology import ENTITY, OntologyError, load_model

MODEL = load_model()


def test_model_has_every_label_of_the_design():
    assert {lb.name for lb in MODEL.concrete_labels} == {
        "Person", "Organization", "Company", "CriminalOrganization", "ArmedGroup", "Bank", "Phone", "Device",
        "BankAccount", "CryptoWallet", "UserAccount", "Website", "Address", "Compound", "BorderCheckpoint", "Case",
        "Document", "Sanction", "Country", "IdentityDocument", "Vessel", "Airplane",
    }


def test_model_has_every_relationship_type_of_the_design():
    assert set(MODEL.relationships) == {
        "USES_PHONE", "USES_DEVICE", "HOLDS_ACCOUNT", "CONTROLS_WALLET", "HAS_ACCOUNT", "OPERATES_WEBSITE",
        "LOCATED_AT", "OPERATES", "WORKED_AT", "HELD_AT", "MEMBER_OF", "DIRECTOR_OF", "OWNS", "FAMILY_OF",
        "ASSOCIATE_OF", "LINKED_TO", "RECRUITED", "CALLED", "MESSAGED", "TRANSFERRED_TO", "CROSSED", "INVOLVED_IN",
        "EVIDENCE_FOR", "SANCTIONED", "IN_COUNTRY", "SAME_AS", "POSSIBLY_SAME_AS", "TRAVELLED",
        "HOLDS_DOCUMENT", "OPERATES_CRAFT", "AT_BANK",
    }


def test_subtype_inherits_parent_properties_and_labels():
    company = MODEL.label("Company")
    assert company.labels == (ENTITY, "Organization", "Company")
    assert {"name", "registrationNumber", "id"} <= set(company.properties)


def test_relationship_endpoints_accept_subtypes():
    assert MODEL.allows("OPERATES", "CriminalOrganization", "Compound")
    assert not MODEL.allows("OPERATES", "Person", "Compound")


def test_node_id_uses_the_natural_key_and_prefix():
    assert MODEL.node_id("Phone", {"number": "+66812345678"}) == "phone:+66812345678"
    assert MODEL.node_id("UserAccount", {"service": "email", "handle": "a@b.org"}) == "user:email|a@b.org"
    assert MODEL.node_id("CryptoWallet", {"chain": ["TRX"], "address": "TX1"}) == "wallet:TX1"
    assert MODEL.node_id("Person", {"id": "per-1"}) == "per-1"


def test_node_id_without_key_property_is_an_ontology_error():
    with pytest.raises(OntologyError, match="number"):
        MODEL.node_id("Phone", {})


def test_relationship_id_is_deterministic_and_distinguishes_events():
    a = MODEL.relationship_id("CALLED", "phone:+1", "phone:+2", "cdr-1")
    assert a == MODEL.relationship_id("CALLED", "phone:+1", "phone:+2", "cdr-1")
    assert a != MODEL.relationship_id("CALLED", "phone:+1", "phone:+2", "cdr-2")
    assert a.startswith("called:")


def test_every_relationship_type_carries_the_common_properties():
    for rt in MODEL.relationships.values():
        assert {"id", "from", "to", "recordId"} <= set(rt.properties), rt.name


def test_provenance_properties_are_those_of_the_design():
    assert set(MODEL.provenance) == {"sources", "firstSeen", "lastSeen", "owner", "tlp", "sharedWith"}
    assert MODEL.provenance["tlp"].values == ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
