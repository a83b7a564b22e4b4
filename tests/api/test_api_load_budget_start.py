"""A load job answers which of its ids other agencies hold, so it starts only while its uploader's
lookup budget has a unit left (attack round 40b, 1): with it spent, job after job answered its
whole write batch, the ids that did not load naming the hidden ones."""

import pytest
from test_api_load_jobs import LOADER_TH, _client, _start, _wait

from graphapi.ingest.load_start import BUDGET_REFUSAL

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
ROWS = "".join(f"CDR-G-{i},+668283029{i:02d},+66811111111,2026-05-15 10:00:00,1,,TH-CELL-0001,TH\n"
               for i in range(10))


def _upload() -> dict:
    return {"data": {"kind": "csv", "mapping": "cdr"},
            "files": {"file": ("cdr.csv", (HEADER + ROWS).encode(), "text/csv")}}


async def test_a_load_is_refused_at_its_start_while_the_uploaders_lookup_budget_is_spent(empty_store, tmp_path):
    async with _client(empty_store, tmp_path, lookup_limit_per_hour=1) as c:
        spent = await c.post("/graphql", headers=LOADER_TH,  # the one unit goes to a lookup first
                             json={"query": '{ restrictedLookup(ids: ["phone:+66800000000"]) { agency } }'})
        assert "errors" not in spent.json(), spent.text
        answers = [await _start(c, LOADER_TH, _upload()) for _ in range(3)]
        listed = (await c.get("/loads", headers=LOADER_TH)).json()["jobs"]
    codes = [(a.status_code, a.json()["errors"][0]["extensions"]["code"]) for a in answers]
    assert codes == [(429, "RATE_LIMITED")] * 3
    assert answers[0].json()["errors"][0]["message"] == BUDGET_REFUSAL
    assert listed == []  # no job started, nothing read


async def test_a_load_starts_while_the_uploaders_lookup_budget_has_a_unit_left(empty_store, tmp_path):
    async with _client(empty_store, tmp_path, lookup_limit_per_hour=1) as c:
        answer = await _start(c, LOADER_TH, _upload())
        assert answer.status_code == 202, answer.text
        job = await _wait(c, LOADER_TH, answer.json()["href"])  # ended before the next test's store
    assert job["state"] == "done"
