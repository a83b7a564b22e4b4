import pytest

from graphapi.ontology import OntologyError, load_model
from graphapi.ontology.model import VALUE_TYPES
from graphapi.ontology.types import TYPES, ValueType, clean_value, get_type


def test_registry_resolves_every_value_type():
    for name in VALUE_TYPES:
        value_type = get_type(name)
        assert isinstance(value_type, ValueType)
        assert value_type.name == name


def test_registry_has_no_types_outside_the_ontology():
    assert set(TYPES) == set(VALUE_TYPES)


def test_registry_resolves_every_property_type_in_the_model():
    model = load_model()
    groups = [label.properties for label in model.labels.values()]
    groups += [rel.properties for rel in model.relationships.values()]
    groups.append(model.provenance)
    for properties in groups:
        for prop in properties.values():
            assert get_type(prop.type).name == prop.type


def test_registry_unknown_type_raises_ontology_error():
    with pytest.raises(OntologyError):
        get_type("wallet-ish")


def test_registry_clean_value_passes_hints():
    assert clean_value("phone", "081 234 5678", country="TH") == "+66812345678"


def test_registry_types_ignore_unused_hints():
    for value_type in TYPES.values():
        value_type.clean("x", country="TH", dayfirst=True, tz="UTC", values=("x",))
