"""The source of a load, one rule for ``lintas load`` and ``POST /loads`` (``options.load_source``):
``<name>@<owner>``, the name given or the loader's own. A later replace of the same source by the
same owner replaces the earlier load, whichever of the two made either load; a replace names its
source, and naming the loader's own replaces the loads that named none; another agency's load
never reaches it. On both backends (new-user trials 6 and 7)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from in_process_loads import run_load_jobs_in_process
from pydantic import SecretStr
from typer.testing import CliRunner

import graphapi.ingest.cli as cli
from graphapi.app import create_app
from graphapi.ingest.load_summary import LoadSummary
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings
from graphapi.store import GraphStore

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


@pytest.fixture(autouse=True)
def _jobs_in_process(monkeypatch) -> None:
    """Each job runs its child in this process (tests/in_process_loads.py): these tests are of
    the source a job names, not of the job's process."""
    run_load_jobs_in_process(monkeypatch)

#: Which load a replace retracts is decided in Python; the retraction itself runs on Neo4j in the two
#: tests left on both stores (an upload replaced by name, a CLI replace).
SOURCE_RULES = 'which source a replace names is decided in Python; two replaces run on Neo4j here'

SECRET = "load-source-secret-of-at-least-32-bytes!!"
HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
ROWS = [
    "CDR-T-1,0828301908,+85510904499,2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n",
    "CDR-T-2,016318273,012825554,2026-04-20 19:27:56,1454,359019145063902,KH-CELL-0153,KH\n",
    "CDR-T-3,016318273,+66825927052,2026-02-14 19:01:49,539,359019145063902,KH-CELL-0023,KH\n",
]
ALL, FIRST = HEADER + "".join(ROWS), HEADER + ROWS[0]
#: what a replace by FIRST retracts of ALL: CDR-T-2's and CDR-T-3's two calls and the KH caller's
#: device use; its phone, the two callees and the device
RETRACTED = (3, 4)
CDR_DEFAULT = "partner-telco-cdr"  # the shipped cdr mapping's source name


def _headers(subject: str, agency: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(subject, secret=SECRET, agency=agency, roles=('loader',))}"}


TH, VN = _headers("feed-th", "TH-DSI"), _headers("feed-vn", "VN-MPS")


def _client(store: GraphStore, tmp_path: Path) -> httpx.AsyncClient:
    settings = Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), rate_limit_per_minute=0, demo=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, store=store)),
                             base_url="http://lintas.test")


async def _upload(client: httpx.AsyncClient, headers: dict[str, str], text: str, **fields: str) -> dict:
    """``POST /loads`` of a CDR file (mapping cdr), polled until the job ends; the job."""
    started = await client.post("/loads", headers=headers, data={"kind": "csv", "mapping": "cdr", **fields},
                                files={"file": ("cdr.csv", text.encode(), "text/csv")})
    assert started.status_code == 202, started.text
    for _ in range(6000):  # a hang guard only (5 min)
        job = (await client.get(started.json()["href"], headers=headers)).json()
        if job["state"] in ("done", "failed"):
            assert job["state"] == "done", job
            return job
        await asyncio.sleep(0.05)
    raise AssertionError("load job did not finish")


async def _cli(store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
               *args: str) -> LoadSummary:
    """``lintas load csv --mapping cdr FILE ARGS`` on ``store``: the command builds its reader and
    options as it does from a shell, and the CLI's own loop (``_load_all``) runs them."""
    feed = tmp_path / "cdr-cli.csv"
    feed.write_text(text, encoding="utf-8")
    made: list = []
    monkeypatch.setattr(cli, "run_with_progress", lambda reader, label, as_json, **kw: made.append((reader, kw)))
    result = CliRunner().invoke(cli.load_app, ["csv", "--mapping", "cdr", str(feed), *args])
    assert result.exit_code == 0, result.output

    async def opened(settings):  # the test's store, which the CLI must not close
        return store

    async def kept() -> None:
        return None

    monkeypatch.setattr("graphapi.store.open_store", opened)
    monkeypatch.setattr(store, "close", kept)
    [summary] = await cli._load_all(made, False, lambda i, stats: None)
    return summary


async def _counts(store: GraphStore) -> tuple[int, int]:
    [row] = await store.read("ingest/count_graph")
    return row["nodes"], row["relationships"]


@pytest.mark.one_store(SOURCE_RULES)
async def test_an_upload_without_a_source_is_replaced_by_a_replace_upload_naming_the_loaders_own(
        empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        first = await _upload(c, TH, ALL)
        again = await _upload(c, TH, FIRST, source=CDR_DEFAULT, replace="true")
    assert (first["source"], again["source"]) == (f"{CDR_DEFAULT}@TH-DSI", f"{CDR_DEFAULT}@TH-DSI")
    assert (again["summary"]["relationships_deleted"], again["summary"]["nodes_deleted"]) == RETRACTED
    assert again["summary"]["replace_skipped"] is None


@pytest.mark.one_store(SOURCE_RULES)
async def test_a_replace_upload_naming_no_source_is_refused_naming_the_one_it_would_replace(empty_store, tmp_path):
    # every load of the feed that named no source shares one: one file's replace took back the others'
    async with _client(empty_store, tmp_path) as c:
        await _upload(c, TH, ALL)
        before = await _counts(empty_store)
        refused = await c.post("/loads", headers=TH, data={"kind": "csv", "mapping": "cdr", "replace": "true"},
                               files={"file": ("cdr.csv", FIRST.encode(), "text/csv")})
    assert refused.status_code == 400
    assert f"source '{CDR_DEFAULT}' is every load of it that named none" in refused.json()["errors"][0]["message"]
    assert await _counts(empty_store) == before


async def test_an_upload_naming_its_source_is_replaced_by_a_replace_upload_naming_it(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        first = await _upload(c, TH, ALL, source="th-cdr")
        again = await _upload(c, TH, FIRST, source="th-cdr", replace="true")
    assert (first["source"], again["source"]) == ("th-cdr@TH-DSI", "th-cdr@TH-DSI")
    assert (again["summary"]["relationships_deleted"], again["summary"]["nodes_deleted"]) == RETRACTED


@pytest.mark.one_store(SOURCE_RULES)
async def test_naming_the_loaders_own_source_is_the_same_source_as_naming_none(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        await _upload(c, TH, ALL)
        again = await _upload(c, TH, FIRST, source=CDR_DEFAULT, replace="true")
    assert (again["summary"]["relationships_deleted"], again["summary"]["nodes_deleted"]) == RETRACTED


@pytest.mark.one_store(SOURCE_RULES)
async def test_another_agencys_replace_of_the_default_source_leaves_the_agencys_upload_whole(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        await _upload(c, TH, ALL, tlp="GREEN")  # which VN-MPS sees, and so may load the same call into
        before = await _counts(empty_store)
        vn = await _upload(c, VN, FIRST, source=CDR_DEFAULT, replace="true")
    assert vn["source"] == f"{CDR_DEFAULT}@VN-MPS"
    assert (vn["summary"]["relationships_deleted"], vn["summary"]["nodes_deleted"]) == (0, 0)
    assert await _counts(empty_store) == before  # VN-MPS's records of the same call merge into TH-DSI's


@pytest.mark.one_store(SOURCE_RULES)
async def test_a_cli_load_without_a_source_is_replaced_by_a_cli_replace_naming_the_loaders_own(
        empty_store, tmp_path, monkeypatch):
    first = await _cli(empty_store, tmp_path, monkeypatch, ALL, "--owner", "TH-DSI")
    again = await _cli(empty_store, tmp_path, monkeypatch, FIRST, "--owner", "TH-DSI", "--replace",
                       "--source", CDR_DEFAULT)
    assert (first.source, again.source) == (f"{CDR_DEFAULT}@TH-DSI", f"{CDR_DEFAULT}@TH-DSI")
    assert (again.relationships_deleted, again.nodes_deleted, again.replace_skipped) == (*RETRACTED, None)


@pytest.mark.one_store(SOURCE_RULES)
async def test_a_cli_load_naming_its_source_is_replaced_by_a_cli_replace_naming_it(empty_store, tmp_path, monkeypatch):
    await _cli(empty_store, tmp_path, monkeypatch, ALL, "--owner", "TH-DSI", "--source", "th-cdr")
    again = await _cli(empty_store, tmp_path, monkeypatch, FIRST, "--owner", "TH-DSI", "--source", "th-cdr",
                       "--replace")
    assert (again.source, again.relationships_deleted, again.nodes_deleted) == ("th-cdr@TH-DSI", *RETRACTED)


async def test_a_cli_replace_replaces_the_upload_of_the_same_source_by_its_owner(empty_store, tmp_path, monkeypatch):
    async with _client(empty_store, tmp_path) as c:
        await _upload(c, TH, ALL, source="th-cdr")
    again = await _cli(empty_store, tmp_path, monkeypatch, FIRST, "--owner", "TH-DSI", "--source", "th-cdr",
                       "--replace")
    assert (again.source, again.relationships_deleted, again.nodes_deleted) == ("th-cdr@TH-DSI", *RETRACTED)


@pytest.mark.one_store(SOURCE_RULES)
async def test_a_replace_upload_of_the_default_source_replaces_the_owners_cli_load_without_one(
        empty_store, tmp_path, monkeypatch):
    await _cli(empty_store, tmp_path, monkeypatch, ALL, "--owner", "TH-DSI")
    async with _client(empty_store, tmp_path) as c:
        again = await _upload(c, TH, FIRST, source=CDR_DEFAULT, replace="true")
    assert (again["summary"]["relationships_deleted"], again["summary"]["nodes_deleted"]) == RETRACTED


@pytest.mark.one_store(SOURCE_RULES)
async def test_a_cli_replace_for_another_owner_leaves_the_agencys_upload_whole(empty_store, tmp_path, monkeypatch):
    async with _client(empty_store, tmp_path) as c:
        await _upload(c, TH, ALL, source="th-cdr")
    before = await _counts(empty_store)
    vn = await _cli(empty_store, tmp_path, monkeypatch, FIRST, "--owner", "VN-MPS", "--source", "th-cdr",
                    "--replace")
    assert (vn.source, vn.relationships_deleted, vn.nodes_deleted) == ("th-cdr@VN-MPS", 0, 0)
    assert await _counts(empty_store) == before
