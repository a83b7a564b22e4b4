"""Property test: nothing a reader without ``victim-data`` receives identifies the fixture's
victim (issue 10, item 10), whatever they ask.

Hypothesis draws a reader (TH-DSI, VN-MPS, KH-NP analysts, the anonymous demo reader) and a
query over the fixture: an entity with its relationships, a neighbourhood, a search, the
shortest paths between two entities, by raw ids, ``vid:`` tokens and the victim's own names and
numbers. The answer (data, ``extensions``, errors; base64 ids and cursors decoded) must not hold
the victim's name or alias (normalised, as a run of words: ids spell it with dashes), passport,
birth date or phone numbers, except where an error repeats what the reader typed.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from normality import ascii_text

from graphapi.ingest.fixture import read_fixture
from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security import DEMO_PRINCIPAL, Principal
from graphapi.security.victim_ids import victim_ids

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

READERS = [
    Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"})),
    Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"})),
    Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"})),
    DEMO_PRINCIPAL,
]
#: The victim's identifying values, normalised (ascii, lower case, runs of words joined by a space).
SECRETS = ["nguyen van an", "c7654321", "2001 07 14", "84912345678", "0912345678", "84987654321", "0987654321"]
_, _records = read_fixture()
IDS = [r.id for r in _records if not hasattr(r, "start")]
IDS += [victim_ids().opaque(i) for i in ("per-nguyen-van-an", "phone:+84912345678", "phone:+84987654321")]
TEXTS = ["Nguyen Van An", "nguyen", "Nguyễn Văn An", "van an", "C7654321", "+84 91 234 5678", "0912345678",
         "+84987654321", "rescue interview", "lucky dragon", "dragon", "somchai", "VN", "case", "2001"]
ENTITY = """query ($a: String!) { entity(id: $a) { id lintasId caption
  ... on Person { name alias passportNumber birthDate notes } ... on Document { title custody }
  ... on Phone { number } ... on Case { title }
  relationships(first: 100) { edges { cursor relationship { id sourceId targetId properties }
    node { id lintasId caption } } } } }"""
NEIGHBOURHOOD = """query ($a: String!) { neighborhood(id: $a, depth: 2) { nodes { id lintasId caption }
  edges { id sourceId targetId properties } } }"""
SEARCH = """query ($a: String!) { search(text: $a, first: 5) { edges { cursor node { id lintasId caption } }
  pageInfo { endCursor hasNextPage } } }"""
PATHS = """query ($a: String!, $b: String!) { shortestPaths(fromId: $a, toId: $b) {
  nodes { id lintasId caption } relationships { id sourceId targetId properties } } }"""


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"\w+", (ascii_text(text) or "").lower()))


def _strings(value):
    if isinstance(value, str):
        yield value
        try:  # Relay ids and cursors are base64
            yield base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            pass
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _leaks(answer, typed: list[str]) -> list[str]:
    texts = [_normalised(s) for s in _strings([answer.data, answer.extensions or {}])]
    for err in answer.errors or []:
        message = err.message
        for t in typed:  # an error may repeat what the reader typed
            message = message.replace(t, "")
        texts.append(_normalised(message))
    return sorted({s for s in SECRETS for t in texts if re.search(rf"\b{s}\b", t)})


queries = st.one_of(
    st.tuples(st.just(ENTITY), st.sampled_from(IDS).map(lambda a: {"a": a})),
    st.tuples(st.just(NEIGHBOURHOOD), st.sampled_from(IDS).map(lambda a: {"a": a})),
    st.tuples(st.just(SEARCH), st.sampled_from(TEXTS).map(lambda a: {"a": a})),
    st.tuples(st.just(PATHS), st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).map(
        lambda ab: {"a": ab[0], "b": ab[1]})),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reader=st.sampled_from(READERS), query=queries)
async def test_no_answer_identifies_a_victim_to_readers_without_victim_data(fixture_graph, reader, query):
    document, variables = query
    answer = await schema.execute(document, variable_values=variables, context_value=Context(fixture_graph, reader))
    errors = [e.message for e in answer.errors or []]
    shown = {"variables": variables, "data": answer.data, "extensions": answer.extensions, "errors": errors}
    assert _leaks(answer, list(variables.values())) == [], json.dumps(shown, ensure_ascii=False)[:3000]


async def test_the_leak_check_catches_the_seeded_leaks(fixture_graph):
    officer = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
    seen = {}
    for document, variables in [(ENTITY, {"a": "per-nguyen-van-an"}), (SEARCH, {"a": "rescue interview"}),
                                (ENTITY, {"a": "phone:+66812345678"})]:
        context = Context(fixture_graph, officer)
        answer = await schema.execute(document, variable_values=variables, context_value=context)
        seen[variables["a"]] = _leaks(answer, [])
    assert seen == {"per-nguyen-van-an": ["2001 07 14", "84912345678", "c7654321", "nguyen van an"],
                    "rescue interview": ["nguyen van an"], "phone:+66812345678": ["84912345678"]}
