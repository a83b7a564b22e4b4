"""Auditors read other agencies' entries without learning a third agency's hidden ids: every id of
a node or relationship the reader's agency may not see reads <hidden>, in every field."""

import unicodedata

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


async def _graph(store) -> None:
    await store.clear()
    await write_records(store, [
        NodeRecord("Person", KH_RED, {"name": "informant", "owner": "KH-NPA", "tlp": "RED"}),
        NodeRecord("Person", VN_PHONE, {"name": "suspect", "owner": "VN-MPS", "tlp": "AMBER"}),
        NodeRecord("Person", PUBLIC, {"name": "public", "owner": "TH-DSI", "tlp": "GREEN"}),
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
    }, 1, kind="hit", outcome=f"error:{KH_RED}")


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
    assert entry["outcome"] == f"error:{HIDDEN}"
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


async def test_audit_trail_masks_a_hidden_id_typed_in_another_unicode_form_or_joined_by_slashes(store, tmp_path):
    """The API reads an id in NFC (``e`` + U+0301 is ``é``), so a hidden id typed decomposed found the
    node and must read <hidden> too; ``/`` joins ids in a list or a URL (attack round 3, G2, G3)."""
    await _graph(store)
    await write_records(store, [NodeRecord("Person", "per-kh-café", {"name": "cafe", "owner": "KH-NPA", "tlp": "RED"})],
                        provenance=Provenance(owner="KH-NPA", tlp="RED"), source="masking-test")
    log = AuditLog(tmp_path / "audit.jsonl")
    decomposed = unicodedata.normalize("NFD", "per-kh-café")
    log.record(TH, "lookup", {
        "restricted": [[VN_PHONE, "VN-MPS"]],
        "variables": {"id": decomposed},
        "query": f'{{ entity(id: "{decomposed}") {{ caption }} }}',
        "message": f"{KH_RED}/{PUBLIC} and https://x.example/{KH_RED}",
    }, 1, kind="hit")
    (entry,) = (await read_visible_trail(store, log, VN_AUDITOR)).entries
    args = entry["arguments"]
    assert args["variables"] == {"id": HIDDEN}
    assert args["query"] == f'{{ entity(id: "{HIDDEN}") {{ caption }} }}'
    assert args["message"] == f"{HIDDEN}/{PUBLIC} and https://x.example/{HIDDEN}"


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
