"""A load's write turn asks the access requests which owners have a killed grant's take-back noted
(graphapi/security/access_notes.note_said, places_named). It kept its read of the whole file only once
the file was 100 ms old: a requester filing and withdrawing (free, 1,200 calls a minute) kept it
younger, and every turn of every agency's load parsed the whole file twice (2.4 MB for one principal
at its cap), holding the store's write lease (attack round 44b, 2). The turn reads the side index
(graphapi/security/access_index.py), written with each change of the file."""

import json

import pytest
from test_a_load_reads_no_access_file_without_a_killed_grant import _withdrawn_requests, _write, access_file  # noqa: F401

from graphapi.ingest import NodeRecord, Provenance, write_records
from graphapi.security import Principal
from graphapi.security.access import MAX_WITHDRAWN, AccessRequest, AccessRequestStore, _add, withdraw
from graphapi.security.access_notes import noted_owners

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
MALLORY = Principal("mallory", agency="TH-DSI", roles=frozenset({"analyst"}))


def _churn(requests: AccessRequestStore, n: int) -> None:
    """What mallory's requestAccess (text only: no lookup, no budget) then withdrawAccessRequest write."""
    request = AccessRequest(id=f"m{n:06d}", requester="mallory", requester_agency="TH-DSI", owner="ZZ",
                            reason="ท" * 2000, text="ท" * 2000, created=f"2026-01-01T00:00:{n:06d}")
    _add(requests, request)
    withdraw(requests, MALLORY, request.id)


async def test_load_turns_parse_no_access_file_while_a_requester_files_and_withdraws_between_them(
        empty_store, access_file, monkeypatch):  # noqa: F811
    requests = AccessRequestStore(access_file)
    for n in range(MAX_WITHDRAWN):  # the principal's cap of withdrawn requests: 2.4 MB
        _churn(requests, n)
    parsed = []
    counting = []
    load = AccessRequestStore._load
    monkeypatch.setattr(AccessRequestStore, "_load", lambda self: (counting and parsed.append(1)) or load(self))
    for i in range(20):  # LA-POL's twenty one-record writes, the file rewritten just before each
        _churn(requests, MAX_WITHDRAWN + i)
        counting.append(1)
        await write_records(empty_store, [NodeRecord("Person", f"p-{i}", {"name": f"Person {i}"})],
                            provenance=Provenance(owner="LA-POL", tlp="AMBER"), source="graphql:LA-POL")
        counting.clear()
    assert len(parsed) == 0  # was 40: two whole parses a turn


async def test_an_access_file_written_without_its_index_is_indexed_at_its_first_read(access_file):  # noqa: F811
    requests = AccessRequestStore(access_file)
    noted = AccessRequest(id="k1", requester="analyst-th", requester_agency="TH-DSI", owner="VN-MPS",
                          reason="case", ids=["phone:1"], granting=["phone:1"])
    table = {**_withdrawn_requests(3), "k1": noted.__dict__}
    access_file.write_text(json.dumps(table, sort_keys=True), encoding="utf-8")  # as a version before the index
    assert noted_owners(requests) == frozenset({"VN-MPS"})
    index = json.loads(access_file.with_name("access.json.index").read_text(encoding="utf-8"))
    assert [(n["request"], n["owner"], n["nodes"]) for n in index["noted"]] == [("k1", "VN-MPS", ["phone:1"])]


async def test_an_index_left_behind_by_a_write_cut_off_before_it_is_built_again(access_file, monkeypatch):  # noqa: F811
    requests = AccessRequestStore(access_file)
    _churn(requests, 0)
    assert noted_owners(requests) == frozenset()
    monkeypatch.setattr("graphapi.security.access.rewrite_index", lambda *a: None)  # killed between the two writes
    with requests._locked() as table:
        table["m000000"].status = "pending"
        table["m000000"].owner, table["m000000"].granting = "VN-MPS", ["phone:1"]
    assert noted_owners(requests) == frozenset({"VN-MPS"})


async def test_a_write_turn_parses_none_of_an_unchanged_file_after_its_index_was_built(
        empty_store, access_file, monkeypatch):  # noqa: F811
    access_file.write_text(json.dumps(_withdrawn_requests(5), sort_keys=True), encoding="utf-8")
    await _write(empty_store, 0)  # builds the index
    parsed = []
    load = AccessRequestStore._load
    monkeypatch.setattr(AccessRequestStore, "_load", lambda self: parsed.append(1) or load(self))
    await _write(empty_store, 100)
    assert parsed == []


async def test_a_load_turn_reads_the_side_index_once(empty_store, access_file, monkeypatch):  # noqa: F811
    from graphapi.security import access_index, access_notes, grant_entries

    _churn(AccessRequestStore(access_file), 0)
    reads = []
    real = access_index.read_index
    for module in (grant_entries, access_notes):
        monkeypatch.setattr(module, "read_index", lambda requests: reads.append(1) or real(requests))
    await _write(empty_store, 0)  # twenty one-record writes, a turn each
    assert len(reads) == 20
