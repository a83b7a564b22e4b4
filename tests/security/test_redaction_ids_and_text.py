"""Victims' ids, captions and the free text that names them (issue 10, item 10).

Fixture: Nguyen Van An (id per-nguyen-van-an, phone +84912345678) is a victim; the Document
"Rescue interview of Nguyen Van An" names him. A principal without ``victim-data`` sees opaque
``vid:`` tokens for his node, phone and their relationships, may pass such a token back as an
id, and reads "[redacted]" where prose names him.
"""

import base64
import json

import pytest
from strawberry import relay

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.victim_ids import victim_ids

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_VICTIMS = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
SCHEMA = LintasSchema(
    query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()], extensions=[PublicErrors, RedactVictims],
)
VICTIM = victim_ids().opaque("per-nguyen-van-an")
PHONE = victim_ids().opaque("phone:+84912345678")
HIDDEN_PHONE = victim_ids().opaque("phone:+84987654321")  # VN-MPS's AMBER phone: hidden from TH-DSI
DOCUMENT = "document:9f2c1a0e5d7b4c3a2f1e0d9c8b7a69584736251403f2e1d0c9b8a7968574a3b2"


async def _run(store, principal, query):
    result = await SCHEMA.execute(query, context_value=Context(store, principal, "r"))
    return result.data, result.extensions or {}, result.errors


async def test_a_victims_caption_and_ids_are_an_opaque_token_not_the_id_that_spells_the_name(fixture_graph):
    data, _, errors = await _run(fixture_graph, TH, f'{{ entity(id: "{VICTIM}") {{ id lintasId caption }} }}')
    assert errors is None
    entity = data["entity"]
    assert entity["lintasId"] == VICTIM and entity["caption"] == VICTIM
    assert relay.GlobalID.from_id(entity["id"]) == relay.GlobalID("Person", VICTIM)


async def test_a_victims_token_is_taken_back_as_an_id(fixture_graph):
    query = f'{{ entity(id: "{VICTIM}") {{ lintasId ... on Person {{ name nationality }} }} }}'
    analyst, _, _ = await _run(fixture_graph, TH, query)
    officer, _, _ = await _run(fixture_graph, TH_VICTIMS, query)
    assert analyst["entity"] == {"lintasId": VICTIM, "name": None, "nationality": ["VN"]}
    assert officer["entity"] == {"lintasId": "per-nguyen-van-an", "name": "Nguyen Van An", "nationality": ["VN"]}
    node, _, _ = await _run(fixture_graph, TH, f'{{ node(id: "{relay.GlobalID("Person", VICTIM)}") {{ __typename }} }}')
    assert node["node"] == {"__typename": "Person"}


async def test_a_victims_phone_and_its_calls_show_tokens(fixture_graph):
    query = """{ entity(id: "phone:+66812345678") { relationships(types: [CALLED], direction: IN) {
        edges { relationship { id sourceId targetId } node { lintasId caption } } } } }"""
    data, _, _ = await _run(fixture_graph, TH, query)
    (edge,) = data["entity"]["relationships"]["edges"]
    assert edge["node"] == {"lintasId": PHONE, "caption": PHONE}
    assert edge["relationship"]["sourceId"] == PHONE and edge["relationship"]["targetId"] == "phone:+66812345678"
    assert edge["relationship"]["id"].startswith("vid:")
    assert victim_ids().resolve(edge["relationship"]["id"]).startswith("called:")


async def test_a_document_title_that_names_a_victim_is_redacted(fixture_graph):
    query = f'{{ entity(id: "{DOCUMENT}") {{ caption ... on Document {{ title kind }} }} }}'
    data, extensions, _ = await _run(fixture_graph, TH, query)
    assert data["entity"] == {"caption": "Rescue interview of [redacted]", "title": "Rescue interview of [redacted]",
                              "kind": "statement"}
    assert extensions["redacted"] == {DOCUMENT: ["caption", "title"]}
    officer, officer_ext, _ = await _run(fixture_graph, TH_VICTIMS, query)
    assert officer["entity"]["title"] == "Rescue interview of Nguyen Van An" and "redacted" not in officer_ext


async def test_search_finds_no_prose_naming_a_victim_by_name_or_by_other_words(fixture_graph):
    page = "edges { node { lintasId caption } } pageInfo { hasNextPage endCursor }"
    by_name, _, _ = await _run(fixture_graph, TH, f'{{ search(text: "nguyen van an") {{ {page} }} }}')
    by_alias, _, _ = await _run(fixture_graph, TH, f'{{ search(text: "Nguyễn Văn An") {{ {page} }} }}')
    by_words, _, _ = await _run(fixture_graph, TH, f'{{ search(text: "rescue interview") {{ {page} }} }}')
    empty = {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    # The interview is evidence in the victim's case: left out whatever the text (no name oracle).
    assert by_name["search"] == empty and by_alias["search"] == empty and by_words["search"] == empty


async def test_paths_through_a_victim_show_his_token(fixture_graph):
    query = f'{{ shortestPaths(fromId: "{VICTIM}", toId: "per-somchai") {{ nodes {{ lintasId caption }} }} }}'
    data, _, errors = await _run(fixture_graph, TH, query)
    assert errors is None
    assert data["shortestPaths"][0]["nodes"][0] == {"lintasId": VICTIM, "caption": VICTIM}


async def test_an_error_names_the_token_given_not_the_number_behind_it(fixture_graph):
    _, _, errors = await _run(fixture_graph, TH, f'{{ neighborhood(id: "{HIDDEN_PHONE}") {{ truncated }} }}')
    # cut to 80 characters, as every id in an error is
    assert [e.message for e in errors] == [f"no entity with id {HIDDEN_PHONE[:80] + '...'!r}"]


async def test_relationship_cursors_carry_no_relationship_id(fixture_graph):
    # A relationship id hashes its endpoints' ids (per-<name>, phone:<number>): guessable offline.
    query = """{ entity(id: "per-somchai") { relationships(first: 2) {
        edges { cursor relationship { id } } pageInfo { endCursor } } } }"""
    data, _, _ = await _run(fixture_graph, TH_VICTIMS, query)
    conn = data["entity"]["relationships"]
    decoded = [base64.urlsafe_b64decode(e["cursor"]).decode() for e in conn["edges"]]
    keys = [json.loads(c.removeprefix("rel:")) for c in decoded]  # [time, opaque id, hidden]
    assert all(c.startswith("rel:[") for c in decoded) and all(k[1].startswith("vid:") for k in keys)
    assert not any(e["relationship"]["id"] in c for e, c in zip(conn["edges"], decoded, strict=True))
    end = conn["pageInfo"]["endCursor"]
    after = f'{{ entity(id: "per-somchai") {{ relationships(after: "{end}") {{ edges {{ cursor }} }} }} }}'
    rest, _, errors = await _run(fixture_graph, TH_VICTIMS, after)
    assert errors is None and rest["entity"]["relationships"]["edges"]
