"""Files that hold investigation data are owner-only (0600, folders 0700) under the usual umask 022,
which left the audit log, reject reports, uploads and the store's RDB/AOF files world-readable."""

import asyncio
import json
import os
import stat
from pathlib import Path

import pytest
from redis import Redis

from graphapi.ingest.job_status import STATUS_FILE, write_status
from graphapi.ingest.load_upload import MultipartUpload
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.private_files import replace_private
from graphapi.security import Principal
from graphapi.security.apikeys import ApiKeyStore
from graphapi.security.audit import AuditLog
from graphapi.store.falkordb import EmbeddedStore

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_audit_log_and_its_folder_are_owner_only(tmp_path, umask_022):
    log = AuditLog(tmp_path / "audit" / "audit.jsonl")
    log.record(TH, "search", {"text": "zhao"}, result_size=1, request_id="r1")
    assert {p.name: _mode(p) for p in (tmp_path / "audit").iterdir() if not p.name.endswith(".lock")} == {
        "audit.jsonl": 0o600, "audit.jsonl.head": 0o600}
    assert _mode(tmp_path / "audit") == 0o700


def test_an_existing_world_readable_audit_log_is_narrowed_when_written(tmp_path, umask_022):
    path = tmp_path / "audit.jsonl"
    AuditLog(path).record(TH, "search", {"text": "a"}, request_id="r1")
    path.chmod(0o644)
    AuditLog(path).record(TH, "search", {"text": "b"}, request_id="r2")
    assert _mode(path) == 0o600


def test_a_reject_report_is_owner_only(tmp_path, umask_022):
    feed = tmp_path / "t.csv"
    feed.write_text("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
                    "to_wallet,amount,currency,value_time,reference\n"
                    "TN9,0,KBZ,MM,7654321,BDO,PH,,,10.00,USD,13/03/2026 03:27:38,b\n", encoding="utf-8")
    report = tmp_path / "new" / "rejects.jsonl"
    asyncio.run(run_load(None, MappedCsvReader(load_mapping("transfers"), [feed]), source="t", dry_run=True,
                         reject_report=report))
    assert (_mode(report), _mode(report.parent)) == (0o600, 0o700)


def test_an_uploaded_file_and_its_folders_are_owner_only(tmp_path, umask_022):
    upload = MultipartUpload(b"B", tmp_path / "job" / "files")
    upload.write(b'--B\r\nContent-Disposition: form-data; name="file"; filename="victims.csv"\r\n\r\n'
                 b"name\r\nNguyen\r\n--B--\r\n")
    upload.finish()
    [stored] = upload.files
    assert _mode(stored.path) == 0o600
    assert [_mode(p) for p in (stored.path.parent, tmp_path / "job" / "files", tmp_path / "job")] == [0o700] * 3


def test_the_api_key_file_is_owner_only(tmp_path, umask_022):
    ApiKeyStore(tmp_path / "keys" / "apikeys.json").create("ci", agency="TH-DSI", roles=["analyst"])
    assert (_mode(tmp_path / "keys" / "apikeys.json"), _mode(tmp_path / "keys")) == (0o600, 0o700)


async def test_the_embedded_stores_data_files_are_owner_only(tmp_path, umask_022):
    store = await EmbeddedStore.open(tmp_path / "store", graph="private")
    try:
        Redis(unix_socket_path=store.server.socket).save()  # dump.rdb now, not in 15 minutes
    finally:
        await store.close()
    files = [p for p in (tmp_path / "store").rglob("*") if p.is_file() and not p.is_socket()]
    assert {"dump.rdb", "falkordb.log"} <= {p.name for p in files}
    assert any(p.parent.name == "appendonlydir" for p in files)
    assert {p.name: oct(_mode(p) & 0o077) for p in files if p.suffix != ".lock" and p.name != "server.json"} == {
        p.name: "0o0" for p in files if p.suffix != ".lock" and p.name != "server.json"}
    assert _mode(tmp_path / "store") == 0o700


def test_a_load_jobs_status_file_is_owner_only(tmp_path, umask_022):
    write_status(tmp_path, {"state": "running", "rowsRead": 3})
    assert _mode(tmp_path / STATUS_FILE) == 0o600
    assert json.loads((tmp_path / STATUS_FILE).read_text()) == {"state": "running", "rowsRead": 3}


def test_a_file_replaced_whole_leaves_no_temporary_file_beside_it(tmp_path, umask_022):
    replace_private(tmp_path / "requests.json", "{}")
    replace_private(tmp_path / "requests.json", '{"r1": 1}', durable=True)
    assert [(p.name, _mode(p), p.read_text()) for p in tmp_path.iterdir()] == [("requests.json", 0o600, '{"r1": 1}')]


def test_a_replacement_that_fails_keeps_the_old_content_and_no_temporary_file(tmp_path):
    replace_private(tmp_path / "apikeys.json", "old")
    with pytest.raises(UnicodeEncodeError):
        replace_private(tmp_path / "apikeys.json", "new \ud800")  # a lone surrogate cannot be written
    assert [(p.name, p.read_text()) for p in tmp_path.iterdir()] == [("apikeys.json", "old")]
