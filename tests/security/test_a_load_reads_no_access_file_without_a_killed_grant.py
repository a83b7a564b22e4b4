"""The ingest writer tells the access requests what an owner's load said, in each write turn, under
the store-wide write lease (graphapi/security/access_notes.note_said). It parsed the whole request
file in every turn, though no killed grant had anything noted: 1,000 requests of 24 KB made 20
one-record writes 0.18 s -> 3.4 s, every other writer waiting (attack round 43b, 4). It reads the
file again only when it changed, and the file keeps a principal's last withdrawn requests only."""

import json
import os
import time
from dataclasses import asdict

import pytest

from graphapi.ingest import NodeRecord, Provenance, write_records
from graphapi.security import Principal
from graphapi.security.access import MAX_WITHDRAWN, AccessRequest, AccessRequestStore, file_request, withdraw
from graphapi.settings import get_settings

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
MALLORY = Principal("mallory", agency="TH-DSI", roles=frozenset({"analyst"}))
ALICE = Principal("alice", agency="TH-DSI", roles=frozenset({"analyst"}))


@pytest.fixture
def access_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTAS_ACCESS_FILE", str(tmp_path / "access.json"))
    get_settings.cache_clear()
    yield tmp_path / "access.json"
    get_settings.cache_clear()


def _withdrawn_requests(n: int) -> dict:
    return {f"r{i:05d}": asdict(AccessRequest(
        id=f"r{i:05d}", requester="mallory", requester_agency="TH-DSI", owner="ZZ", reason="ท" * 2000,
        text="ท" * 2000, status="withdrawn", created=f"2026-01-01T00:{i:05d}")) for i in range(n)}


async def _write(store, first: int) -> None:
    for i in range(first, first + 20):  # twenty small ingest calls (one record each)
        await write_records(store, [NodeRecord("Person", f"p-{i}", {"name": f"Person {i}"})],
                            provenance=Provenance(owner="LA-POL", tlp="AMBER"), source="graphql:LA-POL")


async def test_twenty_writes_parse_an_unchanged_access_file_at_most_once(empty_store, access_file, monkeypatch):
    access_file.write_text(json.dumps(_withdrawn_requests(200), sort_keys=True), encoding="utf-8")
    old = time.time() - 10
    os.utime(access_file, (old, old))
    parsed = []
    load = AccessRequestStore._load
    monkeypatch.setattr(AccessRequestStore, "_load", lambda self: parsed.append(1) or load(self))
    await _write(empty_store, 0)
    assert len(parsed) <= 1


async def test_a_load_reads_the_access_file_again_once_it_changed(empty_store, access_file, monkeypatch):
    access_file.write_text(json.dumps(_withdrawn_requests(2), sort_keys=True), encoding="utf-8")
    parsed = []
    load = AccessRequestStore._load
    monkeypatch.setattr(AccessRequestStore, "_load", lambda self: parsed.append(1) or load(self))
    await _write(empty_store, 0)
    before = len(parsed)
    access_file.write_text(json.dumps(_withdrawn_requests(3), sort_keys=True), encoding="utf-8")
    await _write(empty_store, 100)
    assert len(parsed) > before


async def test_the_file_keeps_a_principals_newest_withdrawn_requests_only(empty_store, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    kept = await file_request(empty_store, requests, ALICE, "ZZ", "case", text="someone")
    withdraw(requests, ALICE, kept.id)
    ids = []
    for _ in range(MAX_WITHDRAWN + 5):
        request = await file_request(empty_store, requests, MALLORY, "ZZ", "ท" * 2000, text="ท" * 2000)
        withdraw(requests, MALLORY, request.id)
        ids.append(request.id)
    left = {r.id for r in requests.all()}
    assert (left == {kept.id, *ids[5:]}, len(left)) == (True, MAX_WITHDRAWN + 1)
