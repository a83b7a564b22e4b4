"""An FtM link entity draws one relationship per pair of its parties (members x organizations,
travellers x legs, one per sanctioned entity); past the reader's limit
(``LINTAS_FTM_MAX_LINKS_PER_ENTITY``) its line is rejected with the count and the limit, and
counted (attack round 54: 2,000 accepted Membership lines of 32 x 32 members, 1 MB, drew two
million relationships, past 300 s at 837 MB). A DEL of such an entity takes every pair its id drew."""

import json

import pytest
from store_kills import whole_graph

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import DrawnLinksDeletion, EdgeRecord, LineRenewal, Rejection
from graphapi.ingest.writer import Provenance
from graphapi.settings import get_settings

pytestmark = pytest.mark.backends
ONE_STORE = "the reader decides before any write; a DEL by id alone is test_ftm_link_del_by_id_alone's, on both"
PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")


def _members(eid, members, orgs):
    return {"id": eid, "schema": "Membership",
            "properties": {"member": [f"p{i}" for i in range(members)], "organization": [f"o{i}" for i in range(orgs)]}}


WIDE = [
    _members("m-ok", 2, 2),  # 4 pairs: the limit
    _members("m-wide", 3, 2),  # 6
    {"id": "t-wide", "schema": "Trip", "properties": {"involved": ["p0", "p1", "p2"], "startLocation": ["a0"],
                                                      "endLocation": ["a1"]}},  # 3 travellers x 2 legs
    {"id": "s-wide", "schema": "Sanction", "properties": {"entity": [f"p{i}" for i in range(5)],
                                                          "authority": ["EU"], "program": ["X"]}},
]


def _file(tmp_path, *entities):
    path = tmp_path / "links.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


def test_a_link_entity_drawing_more_than_the_limit_is_rejected_with_the_count_and_the_limit(tmp_path):
    reader = FtmReader([_file(tmp_path, *WIDE)], max_links=4)
    items = list(reader.records())
    assert [(r.file, r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        ("links.ftm.json", n, f"{kind} '{eid}' draws {drawn} relationships, over the limit of 4 one entity may draw "
                              f"(LINTAS_FTM_MAX_LINKS_PER_ENTITY); not loaded{said}")
        for n, kind, eid, drawn, said in (
            # the Membership's links it names for their echoes are held to the limit too, and said so
            (2, "Membership", "m-wide", 6,
             "; only its first 4 links keep their echoes no wider, held to the same limits"),
            (3, "Trip", "t-wide", 6, ""), (4, "Sanction", "s-wide", 5, ""))]
    assert sorted(r.start + ">" + r.end for r in items if isinstance(r, EdgeRecord)) == [
        "p0>o0", "p0>o1", "p1>o0", "p1>o1"]
    assert (reader.stats.rows, reader.stats.rejected) == (4, 3)


def test_a_del_of_a_link_entity_past_the_limit_takes_what_its_id_drew(tmp_path):
    reader = FtmReader([_file(tmp_path, {"op": "DEL", "entity": _members("m-wide", 3, 2)})], max_links=4)
    # the DEL also ends its line, whatever schema it names (a-76, F4)
    assert [(type(r), r.line) if isinstance(r, LineRenewal) else (type(r), r.type, r.record)
            for r in reader.records()] == [(LineRenewal, "m-wide"), (DrawnLinksDeletion, "MEMBER_OF", "m-wide")]
    assert reader.stats.rejected == 0


def test_the_limit_is_a_setting_with_a_default_no_real_file_meets(monkeypatch):
    assert FtmReader([]).max_links == 100  # the widest link entity of ../shared/data/ftm draws 2
    monkeypatch.setenv("LINTAS_FTM_MAX_LINKS_PER_ENTITY", "7")
    get_settings.cache_clear()
    try:
        assert FtmReader([]).max_links == 7
    finally:
        get_settings.cache_clear()  # read again, without the variable, by the next caller


@pytest.mark.one_store(ONE_STORE)
async def test_a_load_counts_the_wide_lines_rejected_and_loads_the_rest(empty_store, tmp_path):
    summary = await run_load(empty_store, FtmReader([_file(tmp_path, *WIDE)], source="ftm", max_links=4),
                             source="ftm", provenance=PUBLIC)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (4, 1, 3)
    assert summary.relationships_created == 4
    _, relationships = await whole_graph(empty_store)
    assert [json.loads(r)["type"] for r in relationships] == ["MEMBER_OF"] * 4


@pytest.mark.one_store(ONE_STORE)
async def test_a_del_past_the_limit_takes_the_pairs_a_wider_limit_loaded(empty_store, tmp_path):
    await run_load(empty_store, FtmReader([_file(tmp_path, _members("m-wide", 3, 2))], source="ftm", max_links=10),
                   source="ftm", provenance=PUBLIC)
    delete = {"op": "DEL", "entity": _members("m-wide", 3, 2)}
    summary = await run_load(empty_store, FtmReader([_file(tmp_path, delete)], source="ftm", max_links=4),
                             source="ftm", provenance=PUBLIC)
    assert (summary.rows_rejected, summary.relationships_deleted) == (0, 6)


CALL = {"id": "c-wide", "schema": "Call", "properties": {
    "callerNumber": ["+66811111111"], "receiverNumber": ["+66822222222"], "caller": ["p0", "p1", "p2"],
    "receiver": ["p3"]}}  # the CALLED and 4 USES_PHONE
PASSPORT = {"id": "id-wide", "schema": "Passport", "properties": {
    "number": ["AA123"], "country": ["th"], "holder": [f"p{i}" for i in range(5)]}}  # 5 HOLDS_DOCUMENT


def test_a_call_or_an_identification_past_the_limit_is_rejected_with_the_count_and_the_limit(tmp_path):
    reader = FtmReader([_file(tmp_path, CALL, PASSPORT)], max_links=4)
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (n, f"{kind} '{eid}' draws 5 relationships, over the limit of 4 one entity may draw "
            "(LINTAS_FTM_MAX_LINKS_PER_ENTITY); not loaded")
        for n, kind, eid in ((1, "Call", "c-wide"), (2, "Passport", "id-wide"))]
    assert [i for i in items if not isinstance(i, Rejection)] == []
    assert (reader.stats.rows, reader.stats.rejected) == (2, 2)


def test_a_del_of_a_call_past_the_limit_takes_the_called_its_id_drew(tmp_path):
    reader = FtmReader([_file(tmp_path, {"op": "DEL", "entity": CALL})], max_links=4)
    assert [(type(r), r.line) if isinstance(r, LineRenewal) else (type(r), r.type, r.record)
            for r in reader.records()] == [(LineRenewal, "c-wide"), (DrawnLinksDeletion, "CALLED", "c-wide")]


def test_a_line_draws_at_most_one_relationship_per_16_bytes_of_it(tmp_path):
    # at the per-entity limit of 100, but 100 relationships from a line of 205 bytes
    reader = FtmReader([_file(tmp_path, _members("m-10", 10, 10), _members("m-ok", 2, 2))])
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (1, "Membership 'm-10' draws 100 relationships from a line of 205 bytes, over the 12 such a line may draw "
            "(one per 16 bytes, 4 on any line); not loaded; only its first 12 links keep their echoes no wider, "
            "held to the same limits")]
    assert len([r for r in items if isinstance(r, EdgeRecord)]) == 4


def test_a_node_entitys_links_are_bounded_by_its_lines_bytes_too(tmp_path):
    person = {"id": "per-1", "schema": "Person", "properties": {"name": ["Somchai"],
                                                                "addressEntity": [f"a{i}" for i in range(40)]}}
    items = list(FtmReader([_file(tmp_path, person)]).records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (1, "Person 'per-1' draws 40 relationships from a line of 362 bytes, over the 22 such a line may draw "
            "(one per 16 bytes, 4 on any line); not loaded")]
    assert [r for r in items if isinstance(r, EdgeRecord)] == []


def test_a_file_of_entities_at_the_limit_draws_no_more_than_one_relationship_per_16_bytes(tmp_path):
    path = _file(tmp_path, *(_members(f"m-{i}", 10, 10) for i in range(50)))  # 100 pairs each
    reader = FtmReader([path])
    drawn = sum(isinstance(r, EdgeRecord) for r in reader.records())
    assert (path.stat().st_size, drawn, reader.stats.rows, reader.stats.rejected) == (10_240, 0, 50, 50)


@pytest.mark.one_store(ONE_STORE)
async def test_a_load_counts_the_calls_documents_and_dense_lines_rejected(empty_store, tmp_path):
    lines = [CALL, PASSPORT, _members("m-10", 10, 10), _members("m-ok", 2, 2)]
    summary = await run_load(empty_store, FtmReader([_file(tmp_path, *lines)], source="ftm", max_links=4),
                             source="ftm", provenance=PUBLIC)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (4, 1, 3)
    assert summary.relationships_created == 4
