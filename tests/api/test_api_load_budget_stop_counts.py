"""A load stopped by the lookup budget says what it read up to the stop (attack round 40b, 5): it
showed rows 0, rejected 0 though 9 of its 10 rows were written, so the uploader could not tell what
was in the graph or what to load again."""

import pytest
from test_api_load_jobs import LOADER_TH, LOADER_VN, _client, _start, _wait

from graphapi.ingest.load_process import BUDGET_SPENT

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
#: VN-MPS's RED calls from two phones TH-DSI's load guesses: two hits for a budget of one
VN_ROWS = ("CDR-V-1,0828301905,+85510904499,2026-05-15 09:54:51,420,,TH-CELL-0080,TH\n"
           "CDR-V-2,0828301907,+85510904499,2026-05-15 09:54:51,420,,TH-CELL-0080,TH\n")
TH_ROWS = "".join(f"CDR-G-{i},+6682830190{i},+66811111111,2026-05-15 10:00:00,1,,TH-CELL-0001,TH\n"
                  for i in range(10)) + "not a row\n"


def _upload(rows: str, **fields: str) -> dict:
    return {"data": {"kind": "csv", "mapping": "cdr", **fields},
            "files": {"file": ("cdr.csv", (HEADER + rows).encode(), "text/csv")}}


async def test_a_load_stopped_by_the_lookup_budget_counts_the_rows_it_read_and_rejected(empty_store, tmp_path):
    async with _client(empty_store, tmp_path, lookup_limit_per_hour=1) as c:
        await _wait(c, LOADER_VN, (await _start(c, LOADER_VN, _upload(VN_ROWS, tlp="RED"))).json()["href"])
        job = await _wait(c, LOADER_TH, (await _start(c, LOADER_TH, _upload(TH_ROWS))).json()["href"])
        report = (await c.get(job["href"] + "/rejects", headers=LOADER_TH)).text
    assert (job["state"], job["error"]) == ("failed", BUDGET_SPENT)
    assert (job["rows"], job["rejected"]) == (11, 1)  # the bad row read and rejected; the two hits in no count
    assert "not a row" in report and "VN-MPS" not in report
