"""Every hostile id shape through every entry point that takes ids: the store stays up, and the
answer is a clear error or the answer for the canonical id (``graphapi.ontology.ids``).

"Stays up" is checked the hard way: the embedded server keeps its pid (the store restarts a
dead server by itself, so a later PING alone would not notice a crash), then answers PING and a
lookup. Before the id rule, ``""`` in ``share``/``unshare`` and a padded, ``\\x01`` or
over-4096-byte id in ``ingest`` killed it with SIGSEGV.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from graphapi.app import create_app
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.readers.ofac import OfacReader
from graphapi.ingest.writer import Provenance
from graphapi.investigate.entities import get_nodes
from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.nul_strings import RejectNul
from graphapi.schema.schema import LintasSchema, Mutation, Query
from graphapi.schema.security_audit import AuditOperations
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.access import IDS_REFUSED, AccessRequestStore
from graphapi.security.audit import AuditLog
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings
from graphapi.store import embedded_server

pytestmark = pytest.mark.asyncio(loop_scope="session")

# victim-data: the known ids below are a victim and the phone he uses; this test is about id shapes, not
# redaction (without the role a victim's real id answers "no entity", tests/security/test_victim_ids_typed_in_clear.py)
VN = Principal("vn", agency="VN-MPS", roles=frozenset({"analyst", "loader", "victim-data"}))
KNOWN = "phone:+84987654321"  # AMBER, owned by VN-MPS
OWN = Provenance(owner="VN-MPS", tlp="AMBER")

#: Shapes that have no canonical form: refused.
REFUSED = {
    "empty": "",
    "blank": " ",
    "tab only": "\t",
    "\\x01 alone": "\x01",
    "\\x01 inside": "phone:+8498765\x014321",
    "zero-width space": "\u200b",
    "BOM in front": "\ufeffphone:+84987654321",
    "4097 bytes": "x" * 4097,
    "NUL": "a\x00b",
    "lone surrogate": "a\ud800",
}
#: Shapes that canonicalise to KNOWN: answered as KNOWN is.
PADDED = {
    "trailing space": KNOWN + " ",
    "leading space": " " + KNOWN,
    "tab and newline": "\t" + KNOWN + "\n",
    "CR": KNOWN + "\r",
    "ideographic space": KNOWN + "\u3000",
}

#: (entry point, document, variables for id x): every GraphQL field that takes ids.
ENTRY_POINTS = {
    "entity": ("query ($x: String!) { entity(id: $x) { lintasId } }", lambda x: {"x": x}),
    "entities": ("query ($x: [String!]!) { entities(ids: $x) { lintasId } }", lambda x: {"x": [x]}),
    "neighborhood": ("query ($x: String!) { neighborhood(id: $x) { nodes { lintasId } } }", lambda x: {"x": x}),
    "shortestPaths from": ('query ($x: String!) { shortestPaths(fromId: $x, toId: "per-nguyen-van-an") '
                           "{ length } }", lambda x: {"x": x}),
    "shortestPaths to": ('query ($x: String!) { shortestPaths(fromId: "per-nguyen-van-an", toId: $x) '
                         "{ length } }", lambda x: {"x": x}),
    "restrictedLookup": ("query ($x: [String!]!) { restrictedLookup(ids: $x) { agency } }", lambda x: {"x": [x]}),
    "share": ('mutation ($x: [String!]!) { share(ids: $x, agencies: ["TH-DSI"]) { refused } }',
              lambda x: {"x": [x]}),
    "unshare": ('mutation ($x: [String!]!) { unshare(ids: $x, agencies: ["MY-PDRM"]) { refused } }',
                lambda x: {"x": [x]}),
    "requestAccess": ('mutation ($x: [String!]) { requestAccess(owner: "TH-DSI", reason: "case", ids: $x) '
                      "{ lintasIds } }", lambda x: {"x": [x]}),
    "decideAccessRequest": ('mutation ($x: [String!]) { decideAccessRequest(id: "none", grant: true, ids: $x) '
                            "{ id } }", lambda x: {"x": [x]}),
    "ingest node": ("mutation ($r: [JSON!]!) { ingest(records: $r) { accepted rejected { reason } ids { lintasId } } }",
                    lambda x: {"r": [{"kind": "node", "label": "Person", "id": x, "properties": {"name": "A"}}]}),
    "ingest relationship": (
        "mutation ($r: [JSON!]!) { ingest(records: $r) { accepted rejected { reason } } }",
        lambda x: {"r": [{"kind": "relationship", "type": "USES_PHONE", "from": "per-vn-ingested", "to": x}]}),
}

SCHEMA = LintasSchema(
    query=Query, mutation=Mutation, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
    extensions=[AuditOperations, PublicErrors, RejectNul],
)


class _Context(Context):
    def __init__(self, store, principal, audit, requests):
        super().__init__(store, principal, "req")
        self.audit, self.access_requests = audit, requests


@pytest.fixture
def run(fixture_graph, tmp_path):
    audit, requests = AuditLog(tmp_path / "audit.jsonl"), AccessRequestStore(tmp_path / "access.json")

    async def run(entry: str, x: str):
        document, variables = ENTRY_POINTS[entry]
        return await SCHEMA.execute(document, variable_values=variables(x),
                                    context_value=_Context(fixture_graph, VN, audit, requests))
    return run


async def _assert_store_survived(store, pid: int) -> None:
    assert embedded_server.pid_alive(pid) and store.server.pid == pid, "the embedded store was restarted"
    await store.ping()
    assert KNOWN in await get_nodes(store, VN, [KNOWN])


def _codes(result) -> set[str]:
    return {e.extensions["code"] for e in result.errors or ()}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("shape", REFUSED)
async def test_hostile_id_is_refused_and_the_store_survives(run, fixture_graph, entry, shape):
    pid = fixture_graph.server.pid
    result = await run(entry, REFUSED[shape])
    await _assert_store_survived(fixture_graph, pid)
    if entry.startswith("ingest") and not result.errors:
        assert result.data["ingest"]["accepted"] == 0
        (rejection,) = result.data["ingest"]["rejected"]
        assert rejection["reason"].startswith(("id ", "to ", "id:", "to:")), rejection
    else:
        assert _codes(result) <= {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"} and result.errors, result.errors


@pytest.mark.parametrize("entry", [e for e in ENTRY_POINTS if e != "decideAccessRequest"])
@pytest.mark.parametrize("shape", PADDED)
async def test_padded_id_is_answered_as_its_canonical_id_and_the_store_survives(run, fixture_graph, entry, shape):
    pid = fixture_graph.server.pid
    expected = await run(entry, KNOWN)
    result = await run(entry, PADDED[shape])
    await _assert_store_survived(fixture_graph, pid)
    if entry == "requestAccess":  # KNOWN is visible to VN, so not to be asked for: refused alike, padded or not
        assert [e.message for e in result.errors] == [e.message for e in expected.errors] == [IDS_REFUSED]
        return
    assert result.errors is None and expected.errors is None, result.errors
    assert result.data == expected.data


async def test_ingest_of_a_padded_id_stores_the_trimmed_id(run, fixture_graph):
    result = await run("ingest node", " per-vn-padded\t")
    assert result.data["ingest"]["ids"] == [{"lintasId": "per-vn-padded"}]
    assert "per-vn-padded" in await get_nodes(fixture_graph, VN, ["per-vn-padded"])


CASES_HEADER = ("agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,birth_date,phone,"
                "compound_id,compound_name,compound_country,rescued,repatriated")


def _case_row(person_id: str) -> str:
    return f"TH-DSI,TH-DSI-2026-00009,Case,2026-01-01,{person_id},Somchai,victim,TH,,,,,,,,"


async def test_mapped_csv_rejects_a_row_whose_template_id_cannot_be_an_id_and_loads_the_rest(fixture_graph, tmp_path):
    path = tmp_path / "cases.csv"
    rows = [_case_row("p1"), _case_row("p2\x01"), _case_row("x" * 4001), _case_row(" p3 ")]
    path.write_text("\n".join([CASES_HEADER, *rows]) + "\n", encoding="utf-8")
    pid = fixture_graph.server.pid
    reader = MappedCsvReader(load_mapping("cases"), [path])
    summary = await run_load(fixture_graph, reader, source="cases", provenance=OWN)
    await _assert_store_survived(fixture_graph, pid)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (4, 2, 2)
    assert [(r.file, r.line) for r in summary.rejections] == [("cases.csv", 3), ("cases.csv", 4)]
    assert "id contains a control or format character U+0001" in summary.rejections[0].reason
    assert "id is over 4000 bytes in UTF-8" in summary.rejections[1].reason
    assert set(await get_nodes(fixture_graph, VN, ["TH-DSI-p1", "TH-DSI-p3"])) == {"TH-DSI-p1", "TH-DSI-p3"}


async def test_ftm_rejects_an_entity_whose_id_cannot_be_an_id_and_trims_a_padded_one(fixture_graph, tmp_path):
    path = tmp_path / "entities.ftm.json"
    ids = ["fict-1", "", "fict\x01", "fict-2 ", "\u200b", "y" * 5000]
    path.write_text("".join(json.dumps({"id": i, "schema": "Person", "properties": {"name": ["A"]}}) + "\n"
                            for i in ids), encoding="utf-8")
    pid = fixture_graph.server.pid
    summary = await run_load(fixture_graph, FtmReader([Path(path)]), source="ftm", provenance=OWN)
    await _assert_store_survived(fixture_graph, pid)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (6, 2, 4)
    assert [r.line for r in summary.rejections] == [2, 3, 5, 6]
    assert all("id" in r.reason for r in summary.rejections)
    assert set(await get_nodes(fixture_graph, VN, ["fict-1", "fict-2"])) == {"fict-1", "fict-2"}


@pytest.mark.parametrize("agency", ["", "not an agency", "TH-DSI\x01", "-TH", "a" * 65])
async def test_share_refuses_a_string_that_is_not_an_agency_id(run, fixture_graph, tmp_path, agency):
    audit, requests = AuditLog(tmp_path / "a.jsonl"), AccessRequestStore(tmp_path / "r.json")
    for verb in ("share", "unshare"):
        result = await SCHEMA.execute(
            f"mutation ($a: [String!]!) {{ {verb}(ids: [\"{KNOWN}\"], agencies: $a) {{ refused }} }}",
            variable_values={"a": [agency]}, context_value=_Context(fixture_graph, VN, audit, requests))
        assert _codes(result) == {"BAD_USER_INPUT"}
        assert "is not an agency id" in result.errors[0].message


async def test_ofac_rejects_an_address_row_whose_key_is_over_the_id_limit_and_loads_the_rest(fixture_graph, tmp_path):
    sdn, add = tmp_path / "sdn.csv", tmp_path / "add.csv"
    sdn.write_text('53778,"KAREN NATIONAL ARMY",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', encoding="utf-8")
    add.write_text(f'53778,1,"{"Street " * 600}","Yangon","Burma",-0- \n53778,2,"1 Main Road","Yangon","Burma",-0- \n',
                   encoding="utf-8")
    pid = fixture_graph.server.pid
    summary = await run_load(fixture_graph, OfacReader(sdn, add), source="ofac-sdn", provenance=OWN)
    await _assert_store_survived(fixture_graph, pid)
    assert (summary.rows_read, summary.rows_rejected) == (3, 1)
    (rejection,) = summary.rejections
    assert (rejection.file, rejection.line) == ("add.csv", 1)
    assert rejection.reason.startswith("Address id is over 4000 bytes in UTF-8")
    assert "ofac-53778" in await get_nodes(fixture_graph, VN, ["ofac-53778"])


async def test_load_job_over_http_rejects_hostile_ids_row_by_row_and_the_store_survives(fixture_graph, tmp_path):
    secret = "hostile-ids-secret-of-at-least-32-bytes!!"
    app = create_app(Settings(data_dir=tmp_path, jwt_secret=SecretStr(secret), rate_limit_per_minute=0, demo=False),
                     store=fixture_graph)
    headers = {"Authorization": f"Bearer {mint_token('feed-vn', secret=secret, agency='VN-MPS', roles=('loader',))}"}
    ids = ["fict-job-1", "", " fict-job-2\t", "fict\x01", "z" * 4097]
    body = "".join(json.dumps({"id": i, "schema": "Person", "properties": {"name": ["A"]}}) + "\n" for i in ids)
    pid = fixture_graph.server.pid
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        started = await client.post("/loads", headers=headers, data={"kind": "ftm"},
                                    files={"file": ("people.ftm.json", body.encode(), "application/json")})
        assert started.status_code == 202, started.text
        for _ in range(1200):  # safety limit: a five-line load finishes in well under a second
            job = (await client.get(started.json()["href"], headers=headers)).json()
            if job["state"] in ("done", "failed"):
                break
            await asyncio.sleep(0.05)
        rejects = (await client.get(started.json()["href"] + "/rejects", headers=headers)).text.splitlines()
    await _assert_store_survived(fixture_graph, pid)
    assert job["state"] == "done", job
    assert (job["summary"]["rows_read"], job["summary"]["rows_rejected"]) == (5, 3)
    assert [json.loads(line)["line"] for line in rejects] == [2, 4, 5]
    assert set(await get_nodes(fixture_graph, VN, ["fict-job-1", "fict-job-2"])) == {"fict-job-1", "fict-job-2"}
