"""A load job over HTTP takes its hits from the uploader's lookup budget (attack round 38b, 2): it
answered hit / no-hit ("held by VN-MPS") on guessed ids with no budget at all, so the 40 guessed phones
restrictedLookup refused went in a CDR upload and its reject report named the hidden one's owner. Each
distinct id a job answers as a hit takes one unit, as restrictedLookup and ingest(records) do; once
the budget is spent the load stops before the hits it met show, and says why."""

import json

import pytest
from in_process_loads import run_load_jobs_in_process
from test_api_load_jobs import LOADER_TH, LOADER_VN, _client, _start, _wait

from graphapi.ingest.load_process import BUDGET_SPENT
from graphapi.security.audit import AuditLog

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


@pytest.fixture(autouse=True)
def _jobs_in_process(monkeypatch) -> None:
    """Each job runs its child in this process (tests/in_process_loads.py): these tests are of
    the budget its hits take (the acks of the protocol as they are), not of the job's process."""
    run_load_jobs_in_process(monkeypatch)

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
#: VN-MPS's RED calls: phone +66828301908 among others
VN_ROWS = ("CDR-V-1,0828301908,+85510904499,2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n"
           "CDR-V-2,016318273,012825554,2026-04-20 19:27:56,1454,359019145063902,KH-CELL-0153,KH\n")
#: TH-DSI's "feed": 40 guessed callers calling one number of its own; one guess is VN-MPS's phone
GUESSES = [f"08283019{i:02d}" for i in range(40)]
TH_ROWS = "".join(f"CDR-G-{i},{g},+66811111111,2026-05-15 10:00:00,1,,TH-CELL-0001,TH\n"
                  for i, g in enumerate(GUESSES))
#: VN-MPS's RED call from a second guessed phone: with the first, two hits for a budget of one
VN_SECOND = "CDR-V-3,0828301918,+85510904499,2026-05-15 09:54:51,420,,TH-CELL-0080,TH\n"
ONE_STORE = "the budget is charged in the API, the same Python on both stores"


def _upload(rows: str, **fields: str) -> dict:
    return {"data": {"kind": "csv", "mapping": "cdr", **fields},
            "files": {"file": ("cdr.csv", (HEADER + rows).encode(), "text/csv")}}


async def _guessing_load(c, vn_rows: str = VN_ROWS, **fields) -> tuple[dict, str]:
    await _wait(c, LOADER_VN, (await _start(c, LOADER_VN, _upload(vn_rows, tlp="RED"))).json()["href"])
    job = await _wait(c, LOADER_TH, (await _start(c, LOADER_TH, _upload(TH_ROWS, **fields))).json()["href"])
    return job, (await c.get(job["href"] + "/rejects", headers=LOADER_TH)).text


async def test_guessed_phones_past_the_lookup_budget_stop_the_load_before_any_hit_shows(empty_store, tmp_path):
    async with _client(empty_store, tmp_path, lookup_limit_per_hour=1) as c:  # a unit left: the job starts
        job, report = await _guessing_load(c, VN_ROWS + VN_SECOND)  # and meets two hits
    assert (job["state"], job["error"]) == ("failed", BUDGET_SPENT)
    assert "held by" not in report and "VN-MPS" not in report


async def test_a_load_whose_hits_the_budget_covers_answers_them_as_before(empty_store, tmp_path):
    async with _client(empty_store, tmp_path, lookup_limit_per_hour=5) as c:
        job, report = await _guessing_load(c)
    reasons = [json.loads(line)["reason"] for line in report.splitlines() if "held by" in line]
    assert job["state"] == "done" and (job["summary"]["rows_loaded"], job["summary"]["rows_rejected"]) == (39, 1)
    assert reasons == ["restricted: phone:+66828301908 is held by VN-MPS at a level your agency may not see; "
                       "not merged (request access from the owner)"]


@pytest.mark.one_store(ONE_STORE)
async def test_each_hit_of_a_load_takes_a_unit_of_the_uploaders_lookup_budget(empty_store, tmp_path):
    async with _client(empty_store, tmp_path, lookup_limit_per_hour=1) as c:
        job, _ = await _guessing_load(c)  # the hit takes the one unit
        after = (await c.post("/graphql", headers=LOADER_TH, json={
            "query": '{ restrictedLookup(ids: ["phone:+66800000000"]) { agency } }'})).json()
    assert job["state"] == "done"
    assert after["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


@pytest.mark.one_store(ONE_STORE)
async def test_a_load_refused_its_hits_is_audited_as_denied_and_the_owner_still_reads_the_hit(empty_store, tmp_path):
    async with _client(empty_store, tmp_path, lookup_limit_per_hour=1) as c:
        await _guessing_load(c, VN_ROWS + VN_SECOND)  # two hits, one unit
    hits = [e for e in AuditLog(tmp_path / "audit.jsonl").entries()
            if e["kind"] == "hit" and e["operation"] == "load"]
    assert [(e["subject"], e["outcome"], e["arguments"].get("ids")) for e in hits if e["outcome"] == "denied"] == [
        ("feed-th", "denied", 2)]
    assert [e["arguments"]["restricted"] for e in hits if e["outcome"] == "ok"] == [
        [["phone:+66828301908", "VN-MPS"], ["phone:+66828301918", "VN-MPS"]]]
