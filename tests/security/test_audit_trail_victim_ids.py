"""Auditors without ``victim-data`` read a victim's id, and the id of a relationship touching the
victim, as its ``vid:`` token in every field of an audit entry, as everywhere else; auditors
holding the role read the ids (graphapi/security/trail.py)."""

import pytest

from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.trail import read_visible_trail
from graphapi.security.victim_ids import victim_ids

OFFICER = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
AUDITOR = Principal("aud-th", agency="TH-DSI", roles=frozenset({"auditor"}))
AUDITOR_VICTIMS = Principal("aud-th-2", agency="TH-DSI", roles=frozenset({"auditor", "victim-data"}))
VICTIM, PHONE = "per-nguyen-van-an", "phone:+84912345678"
HELD_AT = load_model().relationship_id("HELD_AT", VICTIM, "cmp-lucky-dragon")


def _officer_query(log: AuditLog) -> None:
    log.record(OFFICER, "entity", {
        "query": f'{{ entity(id: "{VICTIM}") {{ caption }} }}',
        "variables": {"ids": [VICTIM, PHONE, "per-somchai"], "relationship": HELD_AT},
    }, 1, kind="query")


async def test_an_auditor_without_victim_data_reads_victims_ids_as_tokens(backend_store, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    _officer_query(log)
    (entry,) = (await read_visible_trail(backend_store, log, AUDITOR)).entries
    token = victim_ids().opaque
    assert entry["arguments"]["query"] == f'{{ entity(id: "{token(VICTIM)}") {{ caption }} }}'
    assert entry["arguments"]["variables"] == {"ids": [token(VICTIM), token(PHONE), "per-somchai"],
                                               "relationship": token(HELD_AT)}


async def test_an_auditor_with_victim_data_reads_victims_ids(backend_store, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    _officer_query(log)
    (entry,) = (await read_visible_trail(backend_store, log, AUDITOR_VICTIMS)).entries
    assert entry["arguments"]["variables"] == {"ids": [VICTIM, PHONE, "per-somchai"], "relationship": HELD_AT}


async def test_an_auditors_own_guesses_read_as_typed_whether_or_not_they_are_victims(backend_store, tmp_path):
    """A guess is not confirmed by the trail: the victim's phone and a number nobody has read the
    same in the guesser's own entries (attack 3, F1), for its agency's auditors too."""
    log = AuditLog(tmp_path / "audit.jsonl")
    for guess in (PHONE, "phone:+84912345670"):
        log.record(AUDITOR, "entity", {"query": f'{{ entity(id: "{guess}") {{ lintasId }} }}'}, 0, kind="query")
    entries = (await read_visible_trail(backend_store, log, AUDITOR)).entries
    assert [e["arguments"]["query"] for e in entries] == [
        f'{{ entity(id: "{PHONE}") {{ lintasId }} }}', '{ entity(id: "phone:+84912345670") { lintasId } }']


async def test_an_analysts_guess_of_another_agencys_hidden_id_reads_as_typed_for_its_auditor(backend_store, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    analyst = Principal("ana-th", agency="TH-DSI", roles=frozenset({"analyst"}))
    hidden = "phone:+84987654321"  # VN-MPS AMBER: hidden from TH-DSI
    log.record(analyst, "entity", {"variables": {"id": hidden}}, 0, kind="query")
    (entry,) = (await read_visible_trail(backend_store, log, AUDITOR)).entries
    assert entry["arguments"]["variables"] == {"id": hidden}


async def test_a_victims_id_typed_with_graphql_escapes_reads_as_its_token_too(backend_store, tmp_path):
    """GraphQL decodes ``\\u0061`` to ``a``: the officer's query asked for the victim by the real id,
    and the auditor without ``victim-data`` decodes the escape as easily (attack10 F2)."""
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(OFFICER, "entity", {"query": '{ entity(id: "per-nguyen-van-\\u0061n") { caption } }'}, 1,
               kind="query")
    (entry,) = (await read_visible_trail(backend_store, log, AUDITOR)).entries
    assert entry["arguments"]["query"] == f'{{ entity(id: "{victim_ids().opaque(VICTIM)}") {{ caption }} }}'


@pytest.mark.parametrize("text", ["who is {}?", "#{}", "«{}»", "error:«{}»…"])
async def test_a_victims_id_beside_punctuation_in_text_reads_as_its_token(backend_store, tmp_path, text):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(OFFICER, "search", {"variables": {"text": text.format(VICTIM)}}, 1, kind="query")
    (entry,) = (await read_visible_trail(backend_store, log, AUDITOR)).entries
    assert entry["arguments"]["variables"]["text"] == text.format(victim_ids().opaque(VICTIM))
