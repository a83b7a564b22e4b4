"""An FtM delta DEL naming a link entity by its id and schema alone (``{"op": "DEL", "entity": {"id":
"own-1", "schema": "Ownership"}}``, as delta feeds write a DEL) takes every relationship the entity
drew for the load's source, exactly as the DEL naming its parties does (attack round 51b, F4: it
was rejected, "Ownership without owner/asset", and the relationship and its statements stayed)."""

import json
from pathlib import Path

import pytest
from store_kills import whole_graph

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

SEEN = "2026-01-01T00:00:00Z"
PUBLIC = Provenance(owner="public", tlp="CLEAR", seen=SEEN)
PEOPLE = [{"id": i, "schema": "Person", "properties": {"name": [n]}}
          for i, n in (("a", "Anna Schmidt"), ("d", "Dora Weber"))]
ORGS = [{"id": i, "schema": "Company", "properties": {"name": [n]}}
        for i, n in (("b", "Bravo GmbH"), ("c", "Charlie AG"))]
ADDRESSES = [{"id": i, "schema": "Address", "properties": {"full": [f]}}
             for i, f in (("x", "1 Main St, Bangkok"), ("y", "2 River Rd, Vientiane"))]
#: one entity of each link schema, with its parties (the DEL naming them is the reference)
LINKS = [
    {"id": "own1", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b", "c"], "percentage": ["40"]}},
    {"id": "mem1", "schema": "Membership", "properties": {"member": ["a"], "organization": ["b"]}},
    {"id": "pay1", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b", "c"], "amount": ["100"],
                                                        "currency": ["EUR"], "date": ["2024-01-01"]}},
    {"id": "dir1", "schema": "Directorship", "properties": {"director": ["d"], "organization": ["c"]}},
    {"id": "fam1", "schema": "Family", "properties": {"person": ["a"], "relative": ["d"], "relationship": ["sister"]}},
    {"id": "unk1", "schema": "UnknownLink", "properties": {"subject": ["d"], "object": ["b"]}},
    {"id": "san1", "schema": "Sanction", "properties": {"entity": ["c"], "authority": ["EU"], "program": ["X"]}},
    {"id": "trip1", "schema": "Trip", "properties": {"involved": ["a"], "startLocation": ["x"], "endLocation": ["y"]}},
    {"id": "call1", "schema": "Call", "properties": {"callerNumber": ["+66811111111"],
                                                      "receiverNumber": ["+66822222222"]}},
]


def _bare(entity: dict) -> dict:
    return {"op": "DEL", "entity": {"id": entity["id"], "schema": entity["schema"]}}


async def _load(store, tmp_path: Path, name: str, *lines: dict, source: str = "ftm", prov: Provenance = PUBLIC):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source=source), source=source, provenance=prov,
                          viewer=None if prov is PUBLIC else prov.owner)


def _counts(s) -> tuple[int, ...]:
    return (s.rows_read, s.rows_loaded, s.rows_rejected, s.nodes_deleted, s.nodes_retracted, s.relationships_deleted,
            s.relationships_retracted, s.statements_retracted)


async def _rels(store, *props: str) -> list[tuple]:
    [row] = await store.read("admin/snapshot")
    return sorted((r["type"], r["from"], r["to"], *(r["props"].get(p) for p in props))
                  for r in row["relationships"] if r.get("type"))


async def _statements(store, owner: str) -> list[tuple]:
    """The statements of ``owner`` about relationships: (link entity, values, source, level), sorted."""
    [row] = await store.read("admin/snapshot")
    return sorted((*p["recordId"], p["value"], p["source"], p["tlp"]) for p in (n["props"] for n in row["nodes"]
                  if "Statement" in n["labels"]) if p.get("owner") == owner and p.get("type"))


async def test_a_del_of_each_link_schema_by_its_id_alone_ends_as_the_del_naming_its_parties(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", *PEOPLE, *ORGS, *ADDRESSES, *LINKS)
    drawn = await _rels(empty_store)
    with_parties = await _load(empty_store, tmp_path, "t2.delta.json", *({"op": "DEL", "entity": e} for e in LINKS))
    want = await whole_graph(empty_store)
    await empty_store.clear()
    await _load(empty_store, tmp_path, "t1.json", *PEOPLE, *ORGS, *ADDRESSES, *LINKS)
    by_id = await _load(empty_store, tmp_path, "t2.delta.json", *map(_bare, LINKS))
    assert len(drawn) == 12  # every pair of each entity (two owned, two paid, two legs)
    assert await whole_graph(empty_store) == want
    assert await _rels(empty_store) == []
    assert _counts(by_id) == _counts(with_parties) == (9, 9, 0, 0, 0, 12, 0, 8)  # 4 links have no value


@pytest.mark.parametrize("parties", [True, False], ids=["with-parties", "by-id-alone"])
async def test_each_agencys_del_of_a_shared_link_takes_only_its_own_records(empty_store, tmp_path, parties):
    th, kh = Provenance("TH-DSI", "GREEN", (), SEEN), Provenance("KH-NP", "RED", (), SEEN)
    own = {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b"], "percentage": ["51"]}}
    solo = {"id": "kh-solo", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["c"], "percentage": ["5"]}}
    await _load(empty_store, tmp_path, "th.json", PEOPLE[0], ORGS[0], own, source="thfeed", prov=th)
    kh_own = {**own, "properties": {**own["properties"], "percentage": ["60"]}}
    await _load(empty_store, tmp_path, "kh.json", kh_own, solo, source="khfeed", prov=kh)
    dels = [{"op": "DEL", "entity": e} if parties else _bare(e) for e in (own, solo)]
    th_del = await _load(empty_store, tmp_path, "th-del.json", dels[0], source="thfeed", prov=th)
    # KH-NP's RED record holds the pair now, out of TH-DSI's sight: deleted, as TH-DSI reads it
    assert _counts(th_del) == (1, 1, 0, 0, 0, 1, 0, 1)
    assert await _statements(empty_store, "TH-DSI") == []
    assert await _statements(empty_store, "KH-NP") == [("kh-solo", ["5.0"], "khfeed", "RED"),
                                                        ("own-1", ["60.0"], "khfeed", "RED")]
    assert await _rels(empty_store, "share", "owner") == [("OWNS", "a", "b", 60.0, "KH-NP"),
                                                          ("OWNS", "a", "c", 5.0, "KH-NP")]
    kh_del = await _load(empty_store, tmp_path, "kh-del.json", *dels, source="khfeed", prov=kh)
    assert _counts(kh_del) == (2, 2, 0, 0, 0, 2, 0, 2)  # its placeholder c goes uncounted
    assert await _statements(empty_store, "KH-NP") == []
    assert await _rels(empty_store) == []


async def test_a_del_by_id_alone_of_a_link_the_source_never_drew_changes_nothing(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", *PEOPLE, *ORGS, LINKS[0])
    await _load(empty_store, tmp_path, "other.json", *PEOPLE, *ORGS, LINKS[1], source="mirror")
    before = await whole_graph(empty_store)
    summary = await _load(empty_store, tmp_path, "t2.delta.json", _bare({"id": "own9", "schema": "Ownership"}),
                          _bare(LINKS[1]), _bare({**LINKS[0], "schema": "Membership"}))
    assert _counts(summary) == (3, 3, 0, 0, 0, 0, 0, 0)
    assert await whole_graph(empty_store) == before


async def test_an_add_after_a_del_by_id_alone_in_one_delta_file_is_the_new_version_only(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", *PEOPLE, *ORGS, LINKS[0])  # a owns b and c, 40 %
    again = {**LINKS[0], "properties": {"owner": ["a"], "asset": ["b"], "percentage": ["60"]}}
    await _load(empty_store, tmp_path, "t2.delta.json", _bare(LINKS[0]), {"op": "ADD", "entity": again})
    assert await _rels(empty_store, "share", "sharedBy") == [("OWNS", "a", "b", 60.0, None)]


async def test_a_del_by_id_alone_after_its_add_in_one_delta_file_takes_it(empty_store, tmp_path):
    summary = await _load(empty_store, tmp_path, "t.delta.json", *({"op": "ADD", "entity": e} for e in PEOPLE + ORGS),
                          {"op": "ADD", "entity": LINKS[0]}, _bare(LINKS[0]))
    assert await _rels(empty_store) == []
    assert (summary.relationships_created, summary.relationships_deleted) == (2, 2)
