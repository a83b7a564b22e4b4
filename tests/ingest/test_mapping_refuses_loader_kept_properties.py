"""A mapping may not write what the loader keeps itself (attack round 32, item 3): the
ontology's internal properties (heldApart, the search fields, countryCodes) and
``ontology.LOADER_KEPT`` (id, conflicts, caption, unresolved, quarantined). A constant
``heldApart: {value: "true"}`` took an agency's RED persons out of hit / no-hit and let another
agency's record take them over. The ingest API refuses the same properties, by the same rule.
So are the readers' notes and review flags (attack round 33, finding 6): a mapping still wrote a
relationship's assumedTimeZone, which the ingest API refused as the loader's note, and the review
flags unidentified / dateConflicts as constants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from graphapi.ingest.mapping.model import MappingError
from graphapi.ingest.readers.mapped_csv import load_mapping
from graphapi.ingest.service import clean_properties
from graphapi.ontology import OntologyError, kept_by_loader, load_model

MODEL = load_model()
PERSON = MODEL.label("Person")
MEMBER_OF = MODEL.relationship("MEMBER_OF")
#: every property of an entity the loader keeps (Person inherits all of Entity's)
ENTITY_KEPT = sorted(n for n in PERSON.properties if kept_by_loader(PERSON.properties, n))
RELATIONSHIP_KEPT = sorted(n for n in MEMBER_OF.properties if kept_by_loader(MEMBER_OF.properties, n))


def _mapping(tmp_path: Path, person: dict[str, Any], membership: dict[str, Any] | None = None) -> Path:
    doc = {"name": "people", "description": "a partner's people", "source": "people",
           "entities": {"person": {"label": "Person", "id": {"template": "per-{pid}"},
                                   "properties": {"name": {"column": "full_name"}, **person}},
                        "org": {"label": "Organization", "id": {"template": "org-{oid}"},
                                "properties": {"name": {"column": "org_name"}}}},
           "relationships": [{"type": "MEMBER_OF", "from": "person", "to": "org",
                              "properties": membership or {}}]}
    path = tmp_path / "people.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_the_kept_properties_are_those_the_attack_named() -> None:
    assert {"heldApart", "unresolved", "caption", "searchText", "searchAudience"} <= set(ENTITY_KEPT)
    assert {"heldApart", "id"} <= set(RELATIONSHIP_KEPT)


@pytest.mark.parametrize("prop", ENTITY_KEPT)
def test_a_mapping_writing_a_kept_entity_property_is_refused_naming_it(tmp_path: Path, prop: str) -> None:
    with pytest.raises(MappingError, match=rf"entity person: Person\.{prop} is kept by the loader itself"):
        load_mapping(_mapping(tmp_path, {prop: {"value": "true"}}))


@pytest.mark.parametrize("prop", RELATIONSHIP_KEPT)
def test_a_mapping_writing_a_kept_relationship_property_is_refused_naming_it(tmp_path: Path, prop: str) -> None:
    with pytest.raises(MappingError, match=rf"MEMBER_OF\.{prop} is kept by the loader itself"):
        load_mapping(_mapping(tmp_path, {}, {prop: {"value": "true"}}))


def test_the_readers_notes_and_review_flags_are_kept_by_the_loader() -> None:
    assert {"unidentified", "dateConflicts", "identifiers"} <= set(ENTITY_KEPT)
    assert "assumedTimeZone" in RELATIONSHIP_KEPT
    assert "referents" not in ENTITY_KEPT  # an FtM file's own merged ids: the source's data
    for label, flag in (("BankAccount", "unresolvedBank"), ("Compound", "unresolvedPlace")):
        assert kept_by_loader(MODEL.label(label).properties, flag)


def test_a_mapping_writing_assumed_time_zone_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"MEMBER_OF\.assumedTimeZone is kept by the loader itself"):
        load_mapping(_mapping(tmp_path, {}, {"assumedTimeZone": {"value": "Asia/Bangkok"}}))


@pytest.mark.parametrize("prop,value", [("unidentified", "true"), ("dateConflicts", "forged")])
def test_a_mapping_writing_a_review_flag_as_a_constant_is_refused(tmp_path: Path, prop: str, value: str) -> None:
    with pytest.raises(MappingError, match=rf"Person\.{prop} is kept by the loader itself"):
        load_mapping(_mapping(tmp_path, {prop: {"value": value}}))


def test_a_mapping_writing_only_source_properties_still_compiles(tmp_path: Path) -> None:
    mapping = load_mapping(_mapping(tmp_path, {"nationality": {"value": "TH"}}, {"role": {"value": "member"}}))
    assert set(mapping.entities["person"]["properties"]) == {"name", "nationality"}


@pytest.mark.parametrize("prop", ENTITY_KEPT)
def test_the_ingest_api_refuses_the_same_entity_properties(prop: str) -> None:
    with pytest.raises(OntologyError, match=f"Person has no property '{prop}'"):
        clean_properties(MODEL, PERSON.properties, {"name": "Tran Thi Hoa", prop: "true"}, {}, "Person")


@pytest.mark.parametrize("prop", RELATIONSHIP_KEPT)
def test_the_ingest_api_refuses_the_same_relationship_properties(prop: str) -> None:
    with pytest.raises(OntologyError, match=f"MEMBER_OF has no property '{prop}'"):
        clean_properties(MODEL, MEMBER_OF.properties, {prop: "true"}, {}, "MEMBER_OF")
