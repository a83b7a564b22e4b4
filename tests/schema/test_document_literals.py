"""A repeated document's string literals are read once (the NUL check keeps them with the cached
document, issue 14), and a NUL in them is refused on every request, not only the first; its
number literals are checked finite once too."""

from __future__ import annotations

import pytest

from graphapi.schema import limits, nul_strings
from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.limits import limit_extensions
from graphapi.schema.schema import LintasSchema, Query
from graphapi.security import Principal
from graphapi.settings import Settings

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def _schema() -> LintasSchema:
    return LintasSchema(query=Query, extensions=[PublicErrors, *limit_extensions(Settings())])


async def _messages(schema: LintasSchema, query: str) -> list[str]:
    result = await schema.execute(query, context_value=Context(None, TH, "req-literals"))
    return [e.message for e in result.errors or ()]


async def test_a_nul_literal_in_a_repeated_document_is_refused_every_time() -> None:
    schema = _schema()
    query = '{ entity(id: "a\\u0000b") { caption } }'
    for _ in range(3):
        messages = await _messages(schema, query)
        assert len(messages) == 1 and "NUL" in messages[0]


async def test_a_repeated_document_is_walked_for_its_literals_once(monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[object] = []
    walk = nul_strings.string_literals

    def counting(document: object) -> tuple[str, ...]:
        walked.append(document)
        return walk(document)

    monkeypatch.setattr(nul_strings, "string_literals", counting)
    schema = _schema()
    for _ in range(3):
        assert await _messages(schema, '{ __typename a: __typename }') == []
    assert len(walked) == 1
    assert await _messages(schema, '{ __typename }') == []  # another document: walked for itself
    assert len(walked) == 2


async def test_a_repeated_document_is_walked_for_non_finite_numbers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[object] = []
    check = limits.check_finite_numbers

    def counting(document: object) -> None:
        walked.append(document)
        check(document)

    monkeypatch.setattr(limits, "check_finite_numbers", counting)
    schema = _schema()
    for _ in range(3):
        assert await _messages(schema, '{ __typename a: __typename }') == []
    assert len(walked) == 1
    for _ in range(2):  # a refused document is refused every time
        messages = await _messages(schema, "{ moneyTrail(id: \"x\", minAmount: 1e400) { truncated } }")
        assert len(messages) == 1 and "must be a finite number" in messages[0]
    assert len(walked) == 3
