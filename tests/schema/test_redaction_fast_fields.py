"""The victim redaction answers a field that reads the same for every reader at once, as the
resolver gave it (no coroutine, no protected-ids lookup: most fields of a big response, issue 14),
and still holds back every field that can identify a victim until it knows."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pytest

from graphapi.schema.security_redaction import RedactVictims
from graphapi.security.principal import DEMO_PRINCIPAL
from graphapi.store import Node

COMPOUND = Node("cmp-x", ("Compound",), {"name": "X Park", "caption": "X Park", "notes": "seen 2024"})
PERSON = Node("per-x", ("Person",), {"name": "X", "nationality": ["TH"], "caption": "X"})


def _resolve(node: Node, field: str, value: object, **kwargs: object) -> object:
    info = SimpleNamespace(field_name=field, context=SimpleNamespace(principal=DEMO_PRINCIPAL))
    return RedactVictims().resolve(lambda _root, _info, **_kw: value, SimpleNamespace(_node=node), info, **kwargs)


@pytest.mark.parametrize(("node", "field"), [(COMPOUND, "lintasId"), (COMPOUND, "caption"), (COMPOUND, "name"),
                                             (PERSON, "nationality"), (PERSON, "label")])
def test_redaction_answers_a_field_no_victim_can_change_at_once(node: Node, field: str) -> None:
    value = node.id if field == "lintasId" else node.properties.get(field, "Person")
    assert _resolve(node, field, value) == value


@pytest.mark.parametrize(("node", "field", "kwargs"), [
    (PERSON, "lintasId", {}), (PERSON, "caption", {}), (PERSON, "name", {}), (COMPOUND, "notes", {}),
    (PERSON, "values", {"property": "name"}), (COMPOUND, "conflicts", {}),
])
def test_redaction_holds_back_a_field_that_can_name_a_victim(node: Node, field: str, kwargs: dict) -> None:
    answer = _resolve(node, field, "x", **kwargs)
    assert inspect.iscoroutine(answer)  # awaited by graphql-core after the protected-ids lookup
    answer.close()
