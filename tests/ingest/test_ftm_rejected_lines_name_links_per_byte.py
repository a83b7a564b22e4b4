"""A rejected FtM link line names the links it would draw (``Rejection.links``: their echoes are
kept no wider, attack round 51, 1), but no more than its bytes allow it to draw loaded (one per 16
bytes, 4 on any line: ``ftm_link_budget``), so a file of rejected lines costs, per byte, what a file
of loaded ones does: each said link is read back from the store by its id. 102 KB of rejected
Memberships of 32 members x 32 organizations named 1,000 links a line, 230,000 ids read back, where
the per-byte budget allows 6,400 (attack round a-59, 4)."""

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import Rejection
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")


def _members(eid, members, orgs, **props):
    return {"id": eid, "schema": "Membership", "properties": {
        "member": [f"p{i}" for i in range(members)], "organization": [f"o{i}" for i in range(orgs)], **props}}


def _file(tmp_path, *entities):
    path = tmp_path / "m.ftm.json"
    path.write_text("".join(json.dumps(e, separators=(",", ":")) + "\n" for e in entities), encoding="utf-8")
    return path


def _said(path):
    return [[(x.type, x.start, x.end) for x in r.links] for r in FtmReader([path], source="ftm").records()
            if isinstance(r, Rejection)]


def test_a_line_rejected_for_a_value_names_every_pair_it_draws(tmp_path):
    path = _file(tmp_path, _members("m-1", 2, 3, startDate=["not a date"]))  # 6 pairs, 9 allowed
    assert _said(path) == [[("MEMBER_OF", f"p{i}", f"o{j}") for i in range(2) for j in range(3)]]


def test_a_line_too_wide_to_load_names_its_first_pairs_as_many_as_its_bytes_allow(tmp_path):
    path = _file(tmp_path, _members("m-1", 32, 32))  # 1,024 pairs from a line of 442 bytes
    pairs = [("MEMBER_OF", f"p{i}", f"o{j}") for i in range(32) for j in range(32)]
    assert (path.stat().st_size, _said(path)) == (442, [pairs[:27]])


def test_a_file_of_rejected_lines_names_at_most_one_link_per_16_bytes(tmp_path):
    path = _file(tmp_path, *(_members(f"m-{i}", 32, 32) for i in range(230)))
    said = sum(map(len, _said(path)))
    assert (path.stat().st_size, said) == (102_010, 230 * 27)
    assert said <= path.stat().st_size // 16


@pytest.mark.one_store("counts the ids the writer's Python hands the store, the same on both")
async def test_a_load_of_rejected_lines_reads_back_at_most_one_link_per_16_bytes(empty_store, tmp_path, monkeypatch):
    path = _file(tmp_path, *(_members(f"m-{i}", 32, 32) for i in range(230)))
    read, ids = empty_store.read, []

    async def counting(name, params=None, **kw):
        if name == "ingest/existing_relationships":
            ids.extend(params["ids"])
        return await read(name, params, **kw)

    monkeypatch.setattr(empty_store, "read", counting)
    s = await run_load(empty_store, FtmReader([path], source="ftm"), source="ftm", provenance=PUBLIC)
    assert (s.rows_read, s.rows_rejected, s.relationships_created) == (230, 230, 0)
    assert len(ids) == len(set(ids)) == 230 * 27
