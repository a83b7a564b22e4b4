"""Another agency's bare reference never blocks an agency's own record of the id (attack round 33,
finding 2). TH-DSI's GREEN FtM Membership m-1 names p-1 as member: p-1 is TH-DSI's placeholder,
an Organization by the link's guess. KH-NP's own RED or AMBER Person p-1 was then refused on every
load ("would disclose: ... would become a Person for agencies your record is not meant for").
Now it is kept apart on the placeholder: its values and its label in its own statement at its own
level, the node left as every other agency read it, and a warning says why. When TH-DSI's link
goes (its DEL, or a replace without it), p-1 is released to KH-NP's record: KH-NP's Person, seen
by KH-NP's audience only (graphapi/ingest/placeholder_release.py)."""

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = pytest.mark.backends
M1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"]}}
P1 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "nationality": ["de"]}}
O1 = {"id": "p-1", "schema": "Organization", "properties": {"name": ["Anna Schmidt"]}}  # the guess's label
X1 = {"id": "x-1", "schema": "Person", "properties": {"name": ["Somchai Jaidee"]}}
READ = """query { entities(ids: ["p-1", "o-1"]) { lintasId __typename caption sources
    values(property: "name") { value } relationships { totalCount edges { node { lintasId __typename } } } }
  people: search(text: "Anna Schmidt", labels: [Person]) { totalCount edges { node { lintasId __typename } } }
  orgs: search(text: "p-1", labels: [Organization]) { totalCount edges { node { lintasId __typename } } }
  any: search(text: "Anna Schmidt") { totalCount } }"""


async def _load(store, tmp_path, name, owner, tlp, *lines, replace=False):
    f = tmp_path / name
    f.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    src = f"{owner.lower()}-ftm"
    return await run_load(store, FtmReader([f], source=src), source=src, viewer=owner, replace=replace,
                          provenance=Provenance(owner, tlp, (), "2026-01-01T00:00:00Z"))


async def _read(store, agency):
    principal = Principal(f"analyst-{agency}", agency=agency, roles=frozenset({"analyst"}))
    r = await graphql_schema.execute(READ, context_value=Context(store, principal, "q"))
    return {"errors": [e.message for e in r.errors or []], "data": r.data}


def _counts(summary):
    return {k: v for k, v in vars(summary).items() if isinstance(v, int) and k != "seconds"} | {
        "rejections": [r.reason for r in summary.rejections], "unlinked": [u.reason for u in summary.unlinked]}


async def _world(store, tmp_path, kh_tlp, *, then=None, record=P1):
    """TH-DSI's link, KH-NP's Person at ``kh_tlp`` (None: not loaded), then TH-DSI's ``then``
    ("del": a DEL of m-1, "replace": a replace without it); what TH-DSI and LA-POL read after each
    step, and the counts of TH-DSI's loads."""
    await store.clear()
    seen = {"link": _counts(await _load(store, tmp_path, "th.ftm.json", "TH-DSI", "GREEN", M1))}
    if kh_tlp:
        await _load(store, tmp_path, "kh.ftm.json", "KH-NP", kh_tlp, record)
    seen["before"] = {a: await _read(store, a) for a in ("TH-DSI", "LA-POL")}
    if then == "del":
        seen["then"] = _counts(await _load(store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN",
                                           {"op": "DEL", "entity": M1}))
    elif then == "replace":
        seen["then"] = _counts(await _load(store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", X1, replace=True))
    seen["after"] = {a: await _read(store, a) for a in ("TH-DSI", "LA-POL")}
    return seen


@pytest.mark.parametrize("tlp", ["RED", "AMBER"])
async def test_another_agencys_link_to_the_id_does_not_block_the_agencys_person(empty_store, tmp_path, tlp):
    await _load(empty_store, tmp_path, "th.ftm.json", "TH-DSI", "GREEN", M1)
    s = await _load(empty_store, tmp_path, "kh.ftm.json", "KH-NP", tlp, P1)
    assert (s.rows_read, s.rows_loaded, s.rows_rejected, [r.reason for r in s.rejections]) == (1, 1, 0, [])


async def test_the_agency_reads_its_persons_values_on_the_placeholder(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "th.ftm.json", "TH-DSI", "GREEN", M1)
    await _load(empty_store, tmp_path, "kh.ftm.json", "KH-NP", "RED", P1)
    r = await _read(empty_store, "KH-NP")
    p1 = r["data"]["entities"][0]
    assert (p1["lintasId"], p1["values"], p1["sources"]) == ("p-1", [{"value": "Anna Schmidt"}], ["kh-np-ftm"])
    # the node is still the link's guess, for everyone: KH-NP too, until the link goes
    assert p1["__typename"] == "GenericOrganization"


async def test_the_load_warns_that_the_record_is_kept_apart_on_a_guessed_placeholder(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "th.ftm.json", "TH-DSI", "GREEN", M1)
    s = await _load(empty_store, tmp_path, "kh.ftm.json", "KH-NP", "RED", P1)
    assert (s.warnings, [(w.file, w.line) for w in s.warned]) == (1, [("kh.ftm.json", 1)])
    assert s.warned[0].reason == (
        "p-1 is an Organization only as another agency's link guessed it (a placeholder): your RED record of "
        "a Person is kept apart in its own statement, and p-1 reads as a Person, to your record's readers only, "
        "once no link of that agency holds it")


@pytest.mark.parametrize("record", [P1, O1], ids=["person", "organization"])
@pytest.mark.parametrize("then", [None, "del", "replace"])
@pytest.mark.parametrize("tlp", ["RED", "AMBER"])
async def test_other_agencies_read_the_same_with_or_without_the_agencys_record(empty_store, tmp_path, tlp, then,
                                                                                record):
    # an Organization record (the guess's own label) was kept apart before; the placeholder then
    # outlived TH-DSI's DEL of its link, a GREEN node every agency read
    without = await _world(empty_store, tmp_path, None, then=then)
    got = await _world(empty_store, tmp_path, tlp, then=then, record=record)
    assert got == without
    # and what they read is the placeholder, as TH-DSI's link made it, and with the link gone, nothing
    p1 = got["before"]["LA-POL"]["data"]["entities"][0]
    assert (p1["__typename"], p1["caption"], p1["values"], p1["relationships"]["totalCount"]) == (
        "GenericOrganization", "p-1", [], 1)
    if then:
        assert got["after"]["LA-POL"]["data"]["entities"] == [None, None]


@pytest.mark.parametrize("then", ["del", "replace"])
async def test_once_the_link_goes_the_id_is_the_agencys_person(empty_store, tmp_path, then):
    await _world(empty_store, tmp_path, "RED", then=then)
    r = await _read(empty_store, "KH-NP")
    p1 = r["data"]["entities"][0]
    assert (p1["lintasId"], p1["__typename"], p1["caption"], p1["sources"]) == (
        "p-1", "Person", "Anna Schmidt", ["kh-np-ftm"])
    assert r["data"]["people"]["edges"] == [{"node": {"lintasId": "p-1", "__typename": "Person"}}]
    assert r["data"]["orgs"]["totalCount"] == 0


async def test_the_released_person_is_seen_by_its_records_audience_only(empty_store, tmp_path):
    await _world(empty_store, tmp_path, "AMBER", then="del")
    snapshot = (await empty_store.read("admin/snapshot"))[0]["nodes"]
    p1 = next(n["props"] for n in snapshot if n["props"].get("id") == "p-1")
    assert (p1["owner"], p1["tlp"], p1.get("sharedWith"), p1.get("unresolved"), p1["nationality"]) == (
        "KH-NP", "AMBER", None, None, ["DE"])


@pytest.mark.parametrize("tlp", ["RED", "AMBER"])
async def test_the_person_loaded_first_still_keeps_the_later_link_off_it(empty_store, tmp_path, tlp):
    # the reverse order, unchanged: TH-DSI's link to an id it may not see is not written, and the
    # load is told the id is held (a hit, as before)
    await _load(empty_store, tmp_path, "kh.ftm.json", "KH-NP", tlp, P1)
    s = await _load(empty_store, tmp_path, "th.ftm.json", "TH-DSI", "GREEN", M1)
    assert (s.rows_loaded, s.rows_rejected, [r.reason for r in s.rejections], [u.reason for u in s.unlinked]) == (
        1, 0, ["restricted: p-1 is held by KH-NP at a level your agency may not see; not merged (request access "
               "from the owner)"], ["MEMBER_OF not written: no node p-1 or o-1 that this load may see"])
    r = await _read(empty_store, "KH-NP")
    assert (r["data"]["entities"][0]["__typename"], r["data"]["entities"][0]["relationships"]["totalCount"]) == (
        "Person", 0)
