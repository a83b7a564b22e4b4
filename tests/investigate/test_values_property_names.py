"""``values(property:)``'s property names: an unknown one is refused naming the closest ontology
properties (new-user report: a bare "got 'nationalty'" left the user guessing the spelling)."""

from __future__ import annotations

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate.values import check_property, check_relationship_property


def _refusal(check, name: str) -> str:
    with pytest.raises(InvalidArgument) as refused:
        check(name)
    return str(refused.value)


def test_check_property_suggests_the_property_a_misspelling_is_close_to():
    assert _refusal(check_property, "nationalty") == (
        "property must be an ontology property sources assert, got 'nationalty'; did you mean 'nationality'?")


def test_check_property_suggests_only_the_property_a_name_matches_but_for_case():
    assert _refusal(check_property, "BirthDate").endswith("; did you mean 'birthDate'?")


def test_check_property_points_to_the_ontology_docs_when_nothing_is_close():
    assert _refusal(check_property, "shoeSize").endswith(
        "; the properties of each label and relationship type are in docs/ontology.md")


def test_check_property_does_not_suggest_a_property_the_loader_keeps_itself():
    assert "searchText" not in _refusal(check_property, "searchTxt")


def test_check_relationship_property_suggests_the_closest_relationship_properties():
    assert _refusal(check_relationship_property, "amout") == (
        "property must be a relationship property sources assert, got 'amout'; did you mean 'amount'?")


def test_a_known_property_passes_unchanged():
    assert (check_property("passportNumber"), check_relationship_property("durationS")) == (
        "passportNumber", "durationS")
