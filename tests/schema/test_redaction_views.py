"""The victim redaction is made once per record, where it becomes a GraphQL type (its view), not
per field (issue 14: a wrapper ran on all ~770 fields of a neighbourhood): a field nothing can
change reads the view at once, with no coroutine; a protected record's identifying fields read
blank and say so; free text that can name a victim is scrubbed (a coroutine, after the names of
the victims next to it are read)."""

from __future__ import annotations

import inspect

import pytest

from graphapi.schema.redaction_views import EntityView, Redactions, RelationshipView
from graphapi.security.principal import DEMO_PRINCIPAL
from graphapi.security.victim_ids import victim_ids
from graphapi.store import Node, Relationship

COMPOUND = Node("cmp-x", ("Compound",), {"name": "X Park", "caption": "X Park", "notes": "seen 2024"})
PERSON = Node("per-x", ("Person",), {"name": "X Y", "nationality": ["TH"], "caption": "X Y", "notes": "held"})
CROSSED = Relationship("rel-1", "CROSSED", "per-x", "chk-1", {"document": "P123", "at": "2024-01-01"})


def _out() -> Redactions:
    return Redactions(None, DEMO_PRINCIPAL)  # type: ignore[arg-type]  # no store: nothing read here


@pytest.mark.parametrize(("node", "field"), [(COMPOUND, "name"), (PERSON, "nationality"), (PERSON, "name")])
def test_redaction_view_answers_a_field_no_victim_can_change_at_once(node: Node, field: str) -> None:
    view = EntityView(node, False, _out())
    assert field not in view.watched and view.props[field] == node.properties[field]


def test_redaction_view_of_a_protected_person_blanks_its_identifying_fields_and_notes_them() -> None:
    out = _out()
    view = EntityView(PERSON, True, out)
    token = victim_ids().opaque("per-x")
    assert view.shown_id == token and view.props["name"] is None and view.props["nationality"] == ["TH"]
    assert view.answer("name", None) is None and view.caption("X Y") == token
    assert "nationality" not in view.watched
    assert out.redacted == {token: {"name", "caption"}}  # only the fields asked are listed


def test_redaction_view_of_a_person_reads_as_stored_for_a_reader_with_victim_data() -> None:
    view = EntityView(PERSON, False, None)
    assert view.shown_id == "per-x" and view.caption("X Y") == "X Y" and not view.watched


def test_redaction_view_holds_back_free_text_until_the_victims_next_to_it_are_read() -> None:
    view = EntityView(COMPOUND, False, _out())
    answer = view.answer("notes", "seen 2024")
    assert inspect.iscoroutine(answer)  # awaited by graphql-core after the victims' names are read
    answer.close()
    assert view.answer("notes", None) is None  # nothing to scrub: at once


def test_redaction_view_of_a_victims_crossing_blanks_its_document_and_shows_tokens() -> None:
    out = _out()
    view = RelationshipView(CROSSED, True, False, out)
    assert view.shown_id == victim_ids().opaque("rel-1") and view.source_id == victim_ids().opaque("per-x")
    assert view.target_id == "chk-1" and view.props["document"] is None
    assert view.answer("document", None) is None and out.redacted == {view.shown_id: {"document"}}


async def test_a_record_is_shown_only_once_ready_has_asked_whether_it_is_protected() -> None:
    from graphapi.schema.batching import LevelBatcher
    from graphapi.schema.shown import Shown
    from graphapi.schema.types.labels import LABEL_TYPES

    assert {"Person", "Compound"} <= set(LABEL_TYPES)  # the types records become

    asked: list[list[str]] = []

    async def load(ids: list[str]) -> dict[str, bool]:
        asked.append(ids)
        return {"per-x": True}

    shown = Shown(None, DEMO_PRINCIPAL, LevelBatcher(load, default=False))  # type: ignore[arg-type]
    person, compound = shown.entity(PERSON), shown.entity(COMPOUND)
    assert person._view is None  # no field of it can be read yet: it fails closed, never unredacted
    assert await shown.ready([person, compound]) == [person, compound]
    assert asked == [["per-x"]]  # one lookup for the level; a compound is never protected
    assert person._view.shown_id == victim_ids().opaque("per-x") and compound._view.shown_id == "cmp-x"
