"""A load job (``POST /loads``) by an uploader without ``victim-data`` meets another agency's
victim's phone as a hidden item, as ``ingest(records)`` does: a row naming it is a restricted hit
worded as for any hidden phone, and its call is not linked to it (attack round 5, F3: a load
confirmed a victim-protected phone that lookups answer as unknown). An uploader with the role
loads the row."""

import json
from pathlib import Path

from test_api_load_jobs import CDR_HEADER, SECRET, _client, _start, _wait

from graphapi.ingest.service import ingest_records
from graphapi.security.tokens import mint_token

VICTIM, HIDDEN = "+85510904499", "+85510904488"


async def _kh_victims_phone_and_a_hidden_one(store) -> None:
    records = [
        {"kind": "node", "label": "Person", "id": "per-kh-vic", "properties": {"name": "Sok Victim"}},
        {"kind": "node", "label": "Case", "properties": {"agency": "KH-NP", "caseNumber": "V-9"}},
        {"type": "INVOLVED_IN", "from": "per-kh-vic", "to": "case:KH-NP|V-9", "properties": {"role": "victim"}},
        {"kind": "node", "label": "Phone", "properties": {"number": VICTIM}},
        {"type": "USES_PHONE", "from": "per-kh-vic", "to": f"phone:{VICTIM}"},
    ]
    assert not (await ingest_records(store, records, source="graphql:KH-NP", owner="KH-NP", tlp="GREEN")).rejected
    hidden = [{"kind": "node", "label": "Phone", "properties": {"number": HIDDEN}}]
    assert not (await ingest_records(store, hidden, source="graphql:KH-NP", owner="KH-NP", tlp="RED")).rejected


def _cdr() -> dict:
    rows = (f"CDR-V-1,0828301908,{VICTIM},2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n"
            f"CDR-V-2,0828301908,{HIDDEN},2026-05-15 10:54:51,420,353994661493921,TH-CELL-0080,TH\n")
    return {"data": {"kind": "csv", "mapping": "cdr", "tlp": "GREEN"},
            "files": {"file": ("cdr.csv", (CDR_HEADER + rows).encode(), "text/csv")}}


def _loader(*roles: str) -> dict[str, str]:
    token = mint_token("feed-vn", secret=SECRET, agency="VN-MPS", roles=("loader", *roles))
    return {"Authorization": f"Bearer {token}"}


async def _load(store, tmp_path: Path, headers: dict[str, str]) -> tuple[dict, list[str]]:
    await _kh_victims_phone_and_a_hidden_one(store)
    async with _client(store, tmp_path) as c:
        job = await _wait(c, headers, (await _start(c, headers, _cdr())).json()["href"])
        report = await c.get(job["rejectsHref"], headers=headers)
    return job, [json.loads(line)["reason"] for line in report.text.splitlines()]


async def test_a_load_job_without_victim_data_refuses_a_victims_phone_as_a_hidden_one(backend_empty_store, tmp_path):
    job, reasons = await _load(backend_empty_store, tmp_path, _loader())
    assert job["state"] == "done"
    assert job["summary"]["restricted"] == 2
    [victim] = [r for r in reasons if r.startswith(f"restricted: phone:{VICTIM}")]
    [hidden] = [r for r in reasons if r.startswith(f"restricted: phone:{HIDDEN}")]
    assert victim.replace(VICTIM, "<n>") == hidden.replace(HIDDEN, "<n>")


async def test_a_load_job_with_victim_data_merges_into_the_victims_phone(empty_store, tmp_path):
    job, _ = await _load(empty_store, tmp_path, _loader("victim-data"))
    assert (job["state"], job["summary"]["restricted"]) == ("done", 1)  # the hidden phone alone
