"""Every restricted hit, by any path, reaches the OWNER agency's audit trail (issue 10, item 9):
who asked, which id or text, when; one entry per owner, so no owner reads another's hit.

Before: hits made through ``ingest(records)`` and load jobs were audited nowhere for the owner
(a load job's restricted ids sat under the uploader's agency only), and one lookup entry named
every owner's ids, so each owner's auditors read the others'.
"""

import asyncio
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from graphapi.app import create_app
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.hits import lookup, restricted_hits
from graphapi.security.tokens import mint_token
from graphapi.security.trail import read_trail
from graphapi.settings import Settings

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

MY = Principal("analyst-my", agency="MY-PDRM", roles=frozenset({"analyst"}))
VN_LOADER = Principal("feed-vn", agency="VN-MPS", roles=frozenset({"loader"}))
AUDITORS = {a: Principal(f"aud-{a}", agency=a, roles=frozenset({"auditor"})) for a in ("VN-MPS", "KH-NPA", "TH-DSI")}
SECRET = "hits-audit-secret-of-at-least-32-bytes!!"
HIDDEN_PHONE = "phone:+84987654321"  # the fixture's AMBER phone of VN-MPS


def _hits_read_by(log: AuditLog, agency: str) -> list[tuple[str, str, list]]:
    """(subject, operation, restricted ids) of the hit entries ``agency``'s auditor reads."""
    page = read_trail(log, AUDITORS[agency], kind="hit")
    return [(e["subject"], e["operation"], e["arguments"].get("restricted")) for e in page.entries]


@pytest.fixture
async def two_owners(empty_store):
    await write_records(empty_store, [NodeRecord("Person", "per-vn", {"name": "Le Van Tam"})],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), source="vn")
    await write_records(empty_store, [NodeRecord("Person", "per-kh", {"name": "Le Van Tam"})],
                        provenance=Provenance(owner="KH-NPA", tlp="RED"), source="kh")
    return empty_store


async def test_hits_of_a_lookup_reach_each_owner_with_its_own_ids_only(two_owners, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    await lookup(two_owners, MY, ["per-vn", "per-kh", "per-none"], audit=log)
    assert _hits_read_by(log, "VN-MPS") == [("analyst-my", "lookup", [["per-vn", "VN-MPS"]])]
    assert _hits_read_by(log, "KH-NPA") == [("analyst-my", "lookup", [["per-kh", "KH-NPA"]])]


async def test_hits_of_a_name_reach_each_owner_with_the_text_asked(two_owners, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    await restricted_hits(two_owners, MY, "le van tam", audit=log)
    for owner in ("VN-MPS", "KH-NPA"):
        (entry,) = read_trail(log, AUDITORS[owner], kind="hit").entries
        assert (entry["subject"], entry["agency"]) == ("analyst-my", "MY-PDRM")
        assert entry["arguments"] == {"text": "le van tam", "agencies": [owner]} and entry["at"]


async def test_hits_of_ingest_records_reach_the_owner_of_a_red_relationship(fixture_graph, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    context = Context(fixture_graph, VN_LOADER, "req-1", audit=log)
    result = await graphql_schema.execute(
        """mutation { ingest(records: [{kind: "relationship", type: "ASSOCIATE_OF", from: "per-zhao-wei",
             to: "per-aung-kyaw", properties: {relationship: "driver"}}]) { rejected { reason } } }""",
        context_value=context,
    )
    assert "held by TH-DSI" in result.data["ingest"]["rejected"][0]["reason"]
    ((subject, operation, restricted),) = _hits_read_by(log, "TH-DSI")
    assert (subject, operation) == ("feed-vn", "ingest")
    assert restricted[0][1] == "TH-DSI" and restricted[0][0].startswith("associate_of:")
    assert _hits_read_by(log, "KH-NPA") == []


async def test_hits_of_a_load_job_over_http_reach_the_owner(fixture_graph, tmp_path: Path):
    settings = Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), rate_limit_per_minute=0, demo=False)
    app = create_app(settings, store=fixture_graph)
    headers = {"Authorization": "Bearer " + mint_token("feed-th", secret=SECRET, agency="TH-DSI", roles=("loader",))}
    cdr = ("record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
           "CDR-H-1,+84987654321,+66825927052,2026-02-14 19:01:49,539,359019145063902,TH-CELL-0023,TH\n")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        started = await client.post("/loads", headers=headers, data={"kind": "csv", "mapping": "cdr"},
                                    files={"file": ("cdr.csv", cdr.encode(), "text/csv")})
        assert started.status_code == 202, started.text
        for _ in range(1200):
            job = (await client.get(started.json()["href"], headers=headers)).json()
            if job["state"] in ("done", "failed"):
                break
            await asyncio.sleep(0.05)
    assert job["summary"]["restricted"] >= 1
    log = AuditLog(tmp_path / "audit.jsonl")
    assert (("feed-th", "load", [[HIDDEN_PHONE, "VN-MPS"]])) in _hits_read_by(log, "VN-MPS")
