"""A refusal "held by" on a held-apart item or a placeholder is a hit like one on an id held from
the start: it takes a unit of the lookup budget before anything is written (issue 10, hit/no-hit).

A record of another label on VN-MPS's held-apart Person (attack round 31), or a record narrower
than a held-apart item or KH-NP's placeholder (attack round 30c), is refused "held by": the loader
learns that another agency holds the id. With a budget of one, three such loads went ok, ok, ok,
where on an id held from the start they went ok, exceeded, exceeded: the loader probed held ids for
free and told the two cases apart by the budget. Now both go ok, exceeded, exceeded, with the same
answers and the same entries in the holder's audit trail; a record that takes the item over, and an
id nobody holds, stay free.
"""

import pytest
from ingest_helpers import Records

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.hits import hourly_budget
from graphapi.security.trail import read_trail

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

M = load_model()
SEEN = "2026-01-01T00:00:00Z"
LINK = M.relationship_id("ASSOCIATE_OF", "per-x", "per-lek")


def _loader(agency):
    return Principal(f"feed-{agency}", agency=agency, roles=frozenset({"loader"}))


def _auditor(agency):
    return Principal(f"aud-{agency}", agency=agency, roles=frozenset({"auditor"}))


async def _load(store, owner, *recs, tlp="GREEN"):
    return await run_load(store, Records(*recs), source=f"ftm@{owner}",
                          provenance=Provenance(owner, tlp, seen=SEEN), viewer=owner)


def _person(owner, label="Person", props=None, nid="per-x", op="merge"):
    return NodeRecord(label, nid, props or {}, Origin(f"ftm@{owner}", "x", 1), op=op)


def _link(owner, props=None, op="merge"):
    return EdgeRecord("ASSOCIATE_OF", LINK, "per-x", "per-lek", props or {}, Origin(f"ftm@{owner}", "x", 9), op=op)


async def vn_holds_the_person(store, apart):
    """VN-MPS's AMBER Person per-x: held apart once TH-DSI deleted the GREEN record it was kept
    apart on, or VN-MPS's from the start."""
    if apart:
        await _load(store, "TH-DSI", _person("TH-DSI", props={"name": "Somchai Jaidee"}))
    await _load(store, "VN-MPS", _person("VN-MPS", props={"name": "Somchai Jaidee", "alias": ["Kraisorn"]}),
                tlp="AMBER")
    if apart:
        await _load(store, "TH-DSI", _person("TH-DSI", op="delete"))


async def vn_holds_a_company(store, apart):
    """As :func:`vn_holds_the_person`, per-x a Company."""
    if apart:
        await _load(store, "TH-DSI", _person("TH-DSI", "Company", {"name": "Somchai Jaidee"}))
    await _load(store, "VN-MPS", _person("VN-MPS", "Company", {"name": "Somchai Jaidee", "alias": ["Kraisorn"]}),
                tlp="AMBER")
    if apart:
        await _load(store, "TH-DSI", _person("TH-DSI", "Company", op="delete"))


async def kh_holds_the_person(store, apart):
    """per-x as KH-NP's AMBER placeholder (its link's end, once TH-DSI deleted its person), or
    KH-NP's AMBER Person from the start."""
    if apart:
        await _load(store, "TH-DSI", _person("TH-DSI", props={"name": "Somchai Jaidee"}))
    await _load(store, "KH-NP", _person("KH-NP", props={"name": "Sok"}, nid="per-kh"),
                EdgeRecord("ASSOCIATE_OF", M.relationship_id("ASSOCIATE_OF", "per-kh", "per-x"), "per-kh", "per-x",
                           {}, Origin("ftm@KH-NP", "k", 2)),
                *([] if apart else [_person("KH-NP", props={"name": "Somchai Jaidee"})]), tlp="AMBER")
    if apart:
        await _load(store, "TH-DSI", _person("TH-DSI", op="delete"))


async def vn_holds_the_link(store, apart):
    """VN-MPS's AMBER association per-x -> per-lek between TH-DSI's GREEN persons: held apart once
    TH-DSI deleted the GREEN link it was kept apart on, or VN-MPS's from the start."""
    await _load(store, "TH-DSI", _person("TH-DSI", props={"name": "Somchai Jaidee"}),
                _person("TH-DSI", props={"name": "Lek Jaidee"}, nid="per-lek"), *([_link("TH-DSI")] if apart else []))
    await _load(store, "VN-MPS", _link("VN-MPS", {"relationship": "handler"}), tlp="AMBER")
    if apart:
        await _load(store, "TH-DSI", _link("TH-DSI", op="delete"))


NODE = '{kind: "node", label: "%s", id: "per-x", properties: {name: "Somchai Co"}}'
EDGE = '{kind: "relationship", type: "ASSOCIATE_OF", from: "per-x", to: "per-lek", properties: {relationship: "x"}}'

CASES = {  # name -> (holding, the loader's agency, its record, its level, the holder)
    "another label on a held-apart record": (vn_holds_the_person, "KH-NP", NODE % "Company", "GREEN", "VN-MPS"),
    "a broader label on a held-apart record": (vn_holds_a_company, "KH-NP", NODE % "Organization", "GREEN", "VN-MPS"),
    "a narrower record on a held-apart record": (vn_holds_the_person, "KH-NP", NODE % "Person", "AMBER", "VN-MPS"),
    "a narrower record on a placeholder": (kh_holds_the_person, "LA-POL", NODE % "Person", "AMBER", "KH-NP"),
    "a narrower record on a held-apart link": (vn_holds_the_link, "KH-NP", EDGE, "AMBER", "VN-MPS"),
}


async def three_loads(store, tmp_path, holding, apart, agency, record, tlp, holder):
    """Three ``ingest`` calls of ``record`` by ``agency`` with a lookup budget of one: what each
    answered (the refusal, or the error's code), and the entries of the holder's audit trail."""
    await store.clear()
    await holding(store, apart)
    log = AuditLog(tmp_path / f"audit-{apart}.jsonl")
    budget = hourly_budget(1, name=f"held-{apart}-{tmp_path.name}")
    answers = []
    for n in range(3):
        r = await graphql_schema.execute(
            f'mutation {{ ingest(tlp: {tlp}, records: [{record}]) {{ accepted rejected {{ reason }} }} }}',
            context_value=Context(store, _loader(agency), f"req-{n}", audit=log, lookup_budget=budget))
        answers.append(r.errors[0].extensions["code"] if r.errors else r.data["ingest"])
    trail = [(e["subject"], e["operation"], e.get("outcome"), e["arguments"].get("restricted"))
             for e in read_trail(log, _auditor(holder), kind="hit").entries]
    return answers, trail


@pytest.mark.parametrize("case", list(CASES))
async def test_a_refusal_held_by_takes_the_budget_as_on_an_id_held_from_the_start(empty_store, tmp_path, case):
    holding, agency, record, tlp, holder = CASES[case]
    got = [await three_loads(empty_store, tmp_path, holding, apart, agency, record, tlp, holder)
           for apart in (True, False)]
    refused = {"accepted": 0, "rejected": [{"reason": got[1][0][0]["rejected"][0]["reason"]}]}
    assert f"held by {holder}" in refused["rejected"][0]["reason"]
    assert got[0][0] == got[1][0] == [refused, "RATE_LIMITED", "RATE_LIMITED"]


@pytest.mark.parametrize("case", list(CASES))
async def test_the_holders_audit_trail_reads_the_same_for_a_held_apart_item_and_one_held_from_the_start(
        empty_store, tmp_path, case):
    holding, agency, record, tlp, holder = CASES[case]
    got = [(await three_loads(empty_store, tmp_path, holding, apart, agency, record, tlp, holder))[1]
           for apart in (True, False)]
    ident = LINK if "link" in case else "per-x"
    assert got[0] == got[1] == [(f"feed-{agency}", "ingest", "ok", [[ident, holder]])]


async def nobody_holds_it(store, apart):
    await _load(store, "TH-DSI", _person("TH-DSI", props={"name": "Lek Jaidee"}, nid="per-lek"))


@pytest.mark.parametrize("holding,record", [
    (vn_holds_the_person, NODE % "Person"),  # the held label, seen by all: taken over
    (vn_holds_the_link, EDGE),
    (nobody_holds_it, NODE % "Company"),  # an id nobody holds: free, as ever
])
async def test_a_record_that_takes_a_held_item_over_takes_no_budget(empty_store, tmp_path, holding, record):
    answers, trail = await three_loads(empty_store, tmp_path, holding, True, "KH-NP", record, "GREEN", "VN-MPS")
    assert [a["accepted"] for a in answers] == [1, 1, 1]
    assert trail == []
