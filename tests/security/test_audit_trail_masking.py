"""Auditors read other agencies' entries without learning a third agency's hidden ids: every id of
a node or relationship the reader's agency may not see reads <hidden>, in every field."""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.trail import HIDDEN, read_visible_trail

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN_AUDITOR = Principal("aud-vn", agency="VN-MPS", roles=frozenset({"auditor"}))
KH_RED = "per-kh-informant"          # KH-NPA's, RED: hidden from VN
VN_PHONE = "per-vn-suspect"          # VN-MPS's, AMBER: visible to VN
PUBLIC = "per-public"                # GREEN
KH_LINK = "associate_of:0123456789abcdef0123"   # KH-NPA's RED relationship: hidden from VN
PUBLIC_LINK = "associate_of:fedcba9876543210fedc"
KH_CAFE = "kh-caf\u00e9-9"               # KH-NPA's, RED, stored in NFC (as every id is)
KH_CAFE_NFD = "kh-cafe\u0301-9"         # the same id as typed in NFD: the API reads it as KH_CAFE


async def _graph(store) -> None:
    await store.clear()
    await write_records(store, [
        NodeRecord("Person", KH_RED, {"name": "informant", "owner": "KH-NPA", "tlp": "RED"}),
        NodeRecord("Person", VN_PHONE, {"name": "suspect", "owner": "VN-MPS", "tlp": "AMBER"}),
        NodeRecord("Person", PUBLIC, {"name": "public", "owner": "TH-DSI", "tlp": "GREEN"}),
        NodeRecord("Person", KH_CAFE, {"name": "cafe nine", "owner": "KH-NPA", "tlp": "RED"}),
        EdgeRecord("ASSOCIATE_OF", KH_LINK, PUBLIC, KH_RED, {"owner": "KH-NPA", "tlp": "RED"}),
        EdgeRecord("ASSOCIATE_OF", PUBLIC_LINK, PUBLIC, VN_PHONE, {"owner": "VN-MPS", "tlp": "GREEN"}),
    ], provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="masking-test")


def _th_hit(log: AuditLog) -> None:
    """TH looked up VN's and KH's ids: the hit names VN, so VN's auditor may read the entry."""
    log.record(TH, "lookup", {
        "ids": [VN_PHONE, KH_RED, PUBLIC],
        "restricted": [[VN_PHONE, "VN-MPS"], [KH_RED, "KH-NPA"]],
        "query": f'{{ restrictedLookup(ids: ["{VN_PHONE}", "{KH_RED}"]) {{ agency }} }}',
        "variables": {"link": KH_LINK, "other": PUBLIC_LINK},
        "message": f"restricted: {KH_RED} is held by KH-NPA; request access",
    }, 1, kind="hit", outcome="error:NOT_FOUND")  # outcomes are codes (security_audit.py), never ids


async def test_audit_trail_masks_a_third_agencys_hidden_ids_in_every_field(store, tmp_path):
    await _graph(store)
    log = AuditLog(tmp_path / "audit.jsonl")
    _th_hit(log)
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    args = entry["arguments"]
    assert args["ids"] == [VN_PHONE, HIDDEN, PUBLIC]
    assert args["restricted"] == [[VN_PHONE, "VN-MPS"], [HIDDEN, "KH-NPA"]]
    assert args["query"] == f'{{ restrictedLookup(ids: ["{VN_PHONE}", "{HIDDEN}"]) {{ agency }} }}'
    assert args["variables"] == {"link": HIDDEN, "other": PUBLIC_LINK}
    assert args["message"] == f"restricted: {HIDDEN} is held by KH-NPA; request access"
    assert entry["outcome"] == "error:NOT_FOUND"
    assert KH_RED not in str(entry) and KH_LINK not in str(entry)
    assert [e["arguments"]["ids"] for e in log.entries()][0][1] == KH_RED  # the log itself is untouched


async def test_audit_trail_masks_a_hidden_id_written_with_escapes_or_beside_punctuation(store, tmp_path):
    """GraphQL reads ``\\u0061`` as ``a``, and prose puts ``«`` or ``?`` next to an id (attack10 F2)."""
    await _graph(store)
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(TH, "lookup", {
        "restricted": [[VN_PHONE, "VN-MPS"]],  # names VN: its auditor reads the entry
        "query": '{ restrictedLookup(ids: ["per-kh-inform\\u0061nt"]) { agency } }',
        "message": f"is «{KH_RED}» known? or #{KH_RED}?",
    }, 1, kind="hit")
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    assert entry["arguments"]["query"] == f'{{ restrictedLookup(ids: ["{HIDDEN}"]) {{ agency }} }}'
    assert entry["arguments"]["message"] == f"is «{HIDDEN}» known? or #{HIDDEN}?"


async def test_audit_trail_masks_a_hidden_id_typed_in_another_unicode_form(store, tmp_path):
    """The API looks ids up in their canonical form (NFC, trimmed), so an NFD spelling reaches the
    node; the trail compares in that form too (attack G2)."""
    await _graph(store)
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(TH, "entity", {
        "restricted": [[VN_PHONE, "VN-MPS"]],  # names VN: its auditor reads the entry
        "query": f'{{ entity(id: "{KH_CAFE_NFD}") {{ caption }} }}',
        "variables": {"i": KH_CAFE_NFD, "padded": f" {KH_CAFE_NFD} "},
        "message": f"who is {KH_CAFE_NFD}?",
    }, 1, kind="hit")
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    args = entry["arguments"]
    assert args["query"] == f'{{ entity(id: "{HIDDEN}") {{ caption }} }}'
    assert args["variables"] == {"i": HIDDEN, "padded": HIDDEN}
    assert args["message"] == f"who is {HIDDEN}?"


async def test_audit_trail_masks_hidden_ids_joined_by_slashes_and_in_urls_but_not_visible_ones(store, tmp_path):
    """``/`` joins ids in a word and ends a URL's path segment (attack G3)."""
    await _graph(store)
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(TH, "search", {
        "restricted": [[VN_PHONE, "VN-MPS"]],
        "texts": [f"{KH_RED}/{KH_LINK}", f"https://x/{KH_RED}", f"{VN_PHONE}/{KH_RED}/{PUBLIC}",
                  f"https://x/{VN_PHONE}/"],
        "query": f'{{ search(text: "https://x/{KH_RED}") {{ totalCount }} }}',
    }, 1, kind="hit")
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    args = entry["arguments"]
    assert args["texts"] == [f"{HIDDEN}/{HIDDEN}", f"https://x/{HIDDEN}", f"{VN_PHONE}/{HIDDEN}/{PUBLIC}",
                             f"https://x/{VN_PHONE}/"]
    assert args["query"] == f'{{ search(text: "https://x/{HIDDEN}") {{ totalCount }} }}'


async def test_audit_trail_shows_the_owner_its_own_ids(store, tmp_path):
    await _graph(store)
    log = AuditLog(tmp_path / "audit.jsonl")
    _th_hit(log)
    kh_auditor = Principal("aud-kh", agency="KH-NPA", roles=frozenset({"auditor"}))
    (entry,) = (await read_visible_trail(store, log, kh_auditor)).entries
    assert entry["arguments"]["ids"] == [HIDDEN, KH_RED, PUBLIC]  # VN's AMBER node is hidden from KH
    assert entry["arguments"]["variables"] == {"link": KH_LINK, "other": HIDDEN}  # its end is VN's AMBER node


async def test_audit_trail_over_graphql_is_masked(store, tmp_path):
    await _graph(store)
    log = AuditLog(tmp_path / "audit.jsonl")
    _th_hit(log)
    result = await schema.execute(
        '{ auditTrail(kind: "hit") { entries { arguments outcome } } }',
        context_value=Context(store, VN_AUDITOR, "r-audit", audit=log),
    )
    assert result.errors is None
    (entry,) = result.data["auditTrail"]["entries"]
    assert entry["arguments"]["ids"] == [VN_PHONE, HIDDEN, PUBLIC] and KH_RED not in str(entry)


async def test_hidden_items_named_after_agencies_and_the_logs_words_never_blank_who_did_what(store, tmp_path):
    # attack round 19, A1: LA-MPS loaded RED items named KH-NPA, TH-DSI, analyst-th, lookup, hit,
    # error, ok and race; VN's auditor then read TH's entries about VN's data all <hidden>
    await store.clear()
    words = ["KH-NPA", "TH-DSI", "VN-MPS", "analyst-th", "lookup", "hit", "error", "ok", "race", "NOT_FOUND"]
    await write_records(store, [NodeRecord("Person", w, {"name": "decoy", "owner": "LA-MPS", "tlp": "RED"})
                                for w in words], provenance=Provenance(owner="LA-MPS", tlp="RED"), source="decoys")
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(TH, "lookup", {"restricted": [["per-vn-x", "VN-MPS"], ["per-kh-y", "KH-NPA"]],
                              "agencies": ["VN-MPS", "KH-NPA"], "reason": "race test, ok?", "request": "analyst-th"},
               1, kind="hit", outcome="error:NOT_FOUND")
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    assert (entry["subject"], entry["agency"], entry["kind"], entry["operation"], entry["outcome"]) == (
        "analyst-th", "TH-DSI", "hit", "lookup", "error:NOT_FOUND")
    assert entry["arguments"] == {"restricted": [["per-vn-x", "VN-MPS"], ["per-kh-y", "KH-NPA"]],
                                  "agencies": ["VN-MPS", "KH-NPA"], "reason": "race test, ok?",
                                  "request": "analyst-th"}  # a request id the server made


async def test_a_hidden_id_in_a_restricted_pair_or_spelled_with_more_than_letters_is_still_masked(store, tmp_path):
    await _graph(store)
    await write_records(store, [NodeRecord("Person", "race", {"name": "decoy", "owner": "KH-NPA", "tlp": "RED"})],
                        provenance=Provenance(owner="KH-NPA", tlp="RED"), source="decoys")
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(TH, "lookup", {"restricted": [[VN_PHONE, "VN-MPS"], [KH_RED, "KH-NPA"], ["race", "KH-NPA"]],
                              "reason": f"is {KH_RED} the race?"}, 1, kind="hit")
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    assert entry["arguments"]["restricted"] == [[VN_PHONE, "VN-MPS"], [HIDDEN, "KH-NPA"], [HIDDEN, "KH-NPA"]]
    assert entry["arguments"]["reason"] == f"is {HIDDEN} the race?"  # a plain word of text stays as typed


async def test_a_hidden_entitys_relay_id_is_masked_as_its_id_is(store, tmp_path):
    # attack round 20, B2: the API takes Entity.id for the entity; its Relay id passed in clear
    import base64

    await _graph(store)
    relay = base64.b64encode(f"Person:{KH_RED}".encode()).decode()
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(TH, "entity", {"restricted": [[VN_PHONE, "VN-MPS"]], "variables": {"id": relay},
                              "message": f"who is {relay}? and {relay}."}, 1, kind="hit")
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    assert entry["arguments"]["variables"] == {"id": HIDDEN}
    assert entry["arguments"]["message"] == f"who is {HIDDEN}? and {HIDDEN}."


async def test_a_relay_id_around_a_padded_id_or_ending_a_word_is_masked_or_no_id(store, tmp_path):
    # attack round 21, C3: "Person: <id>" was taken by the API as <id> and read unmasked in the
    # trail; a Relay id before a full stop lost its "=" padding with the stop, and was read unmasked
    import base64

    from graphapi.ontology.ids import relay_inner_id

    await _graph(store)
    padded = base64.b64encode(f"Person: {KH_RED}".encode()).decode()
    assert relay_inner_id(padded) is None  # no entity's Relay id: the API finds nothing by it
    relay = base64.b64encode(f"Person:{KH_RED}".encode()).decode()
    assert relay.endswith("=")
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(TH, "entity", {"restricted": [[VN_PHONE, "VN-MPS"]],
                              "message": f"ref:{relay}. see https://x.example/e/{relay}"}, 1, kind="hit")
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    assert entry["arguments"]["message"] == f"ref:{HIDDEN}. see https://x.example/e/{HIDDEN}"
