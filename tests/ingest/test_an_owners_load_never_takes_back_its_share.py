"""A share is the owner's explicit act through the API; only an unshare (or the take-back of the
access request that granted it) takes it back (docs/security.md, share). The owner's loads keep
every agency and level a share gave the item while still narrowing what the record itself says
(graphapi/security/kept_shares.py). Attack round 42a, 4: KH-NP's nightly ``--replace`` of the
same file (or a MOD of the same record) narrowed p-1 back to AMBER [] and LA-POL lost it, with no
unshare recorded or audited."""
import pytest
from _load_ftm import ANNA, load, person, reads

from graphapi.security import Principal
from graphapi.security.share import share, unshare

pytestmark = pytest.mark.backends
KH = Principal("analyst-kh-np", agency="KH-NP", roles=frozenset({"analyst"}))
P1 = '{ entities(ids: ["p-1"]) { tlp ... on Person { name } } }'
ORG = {"id": "o-1", "schema": "Organization", "properties": {"name": ["Org"]}}
MEMBER = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"],
                                                              "role": ["clerk"]}}
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount } } }'


async def _shared_with_la_pol(store, tmp_path, level: str) -> None:
    """KH-NP's p-1 at ``level`` (source kh), shared with LA-POL through the share mutation."""
    await load(store, tmp_path, "KH-NP", level, [person(ANNA)], "kh")
    await share(store, KH, ["p-1"], ["LA-POL"])
    assert (await reads(store, "LA-POL", P1))["entities"] == [{"tlp": level, "name": "Anna Lee"}]


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
async def test_an_unchanged_reload_of_the_owners_record_keeps_its_share(empty_store, tmp_path, op):
    await _shared_with_la_pol(empty_store, tmp_path, "AMBER")
    r = await load(empty_store, tmp_path, "KH-NP", "AMBER", [person(ANNA, op=op)], "kh", replace=op is None)
    la = await reads(empty_store, "LA-POL", P1)
    updated = 0 if op is None else 1  # a MOD counts its node updated, shared or not
    assert (la["entities"], r.nodes_updated, r.rejections) == ([{"tlp": "AMBER", "name": "Anna Lee"}], updated, [])


async def test_a_plain_reload_of_the_owners_record_keeps_its_share(empty_store, tmp_path):
    await _shared_with_la_pol(empty_store, tmp_path, "AMBER")
    await load(empty_store, tmp_path, "KH-NP", "AMBER", [person(ANNA)], "kh")
    assert (await reads(empty_store, "LA-POL", P1))["entities"] == [{"tlp": "AMBER", "name": "Anna Lee"}]


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
async def test_a_reload_at_a_narrower_level_narrows_the_item_but_keeps_its_share(empty_store, tmp_path, op):
    """GREEN p-1 shared with LA-POL, then said RED: hidden from every agency but the one it was
    shared with, which reads it at AMBER, the level a share lets it read, with its values."""
    await _shared_with_la_pol(empty_store, tmp_path, "GREEN")
    r = await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA, op=op)], "kh", replace=op is None)
    la, th = await reads(empty_store, "LA-POL", P1), await reads(empty_store, "TH-DSI", P1)
    assert (la["entities"], th["entities"], r.nodes_updated) == ([{"tlp": "AMBER", "name": "Anna Lee"}], [None], 1)


async def test_an_unshare_after_a_narrowing_reload_takes_the_share_back(empty_store, tmp_path):
    await _shared_with_la_pol(empty_store, tmp_path, "GREEN")
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh", replace=True)
    await unshare(empty_store, KH, ["p-1"], ["LA-POL"])
    assert (await reads(empty_store, "LA-POL", P1))["entities"] == [None]
    # and the owner's next load no longer widens its record by it: the owner's alone
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh", replace=True)
    [node] = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    la = await reads(empty_store, "LA-POL", P1)
    assert (node["props"].get("sharedWith") or [], node["props"].get("shares"), la["entities"]) == ([], None, [None])


async def test_a_share_at_a_level_keeps_that_level_through_a_narrower_reload(empty_store, tmp_path):
    """RED p-1 shared with LA-POL at GREEN (the owner opened it to everyone): a replace at RED
    leaves it GREEN; only an unshare of LA-POL lets the owner's loads narrow it again."""
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh")
    await share(empty_store, KH, ["p-1"], ["LA-POL"], tlp="GREEN")
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh", replace=True)
    assert (await reads(empty_store, "TH-DSI", P1))["entities"] == [{"tlp": "GREEN", "name": "Anna Lee"}]
    await unshare(empty_store, KH, ["p-1"], ["LA-POL"])
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA, op="MOD")], "kh")
    assert (await reads(empty_store, "TH-DSI", P1))["entities"] == [None]


async def test_an_ineffective_share_gives_the_owners_reload_no_level(empty_store, tmp_path):
    """RED p-1 shared with LA-POL at no level stays closed to it (``ineffective``): so does it
    after the owner's reload at RED."""
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh")
    assert (await share(empty_store, KH, ["p-1"], ["LA-POL"])).ineffective == ["p-1"]
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh", replace=True)
    assert (await reads(empty_store, "LA-POL", P1))["entities"] == [None]


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
async def test_an_unchanged_reload_keeps_the_share_of_the_owners_relationship(empty_store, tmp_path, op):
    await load(empty_store, tmp_path, "KH-NP", "AMBER", [person(ANNA), ORG, MEMBER], "kh")
    done = await share(empty_store, KH, ["p-1", "o-1"], ["LA-POL"])
    assert len(done.relationships) == 1
    docs = [person(ANNA), ORG, MEMBER] if op is None else [{"op": "MOD", "entity": MEMBER}]
    await load(empty_store, tmp_path, "KH-NP", "AMBER", docs, "kh", replace=op is None)
    assert (await reads(empty_store, "LA-POL", LINKS))["entities"] == [{"relationships": {"totalCount": 1}}]


async def test_the_next_owner_of_an_item_does_not_inherit_its_shares(empty_store, tmp_path):
    """KH-NP's GREEN p-1 shared with LA-POL; TH-DSI's AMBER record of it; KH-NP's DEL hands p-1
    to TH-DSI at its own level. TH-DSI's reload is not widened by KH-NP's share."""
    await _shared_with_la_pol(empty_store, tmp_path, "GREEN")
    await load(empty_store, tmp_path, "TH-DSI", "AMBER", [person(ANNA)], "th")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA, op="DEL")], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "AMBER", [person(ANNA)], "th", replace=True)
    [node] = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    la = await reads(empty_store, "LA-POL", P1)
    assert (node["props"]["owner"], node["props"].get("shares"), la["entities"]) == ("TH-DSI", None, [None])


async def test_a_record_kept_narrower_before_the_share_is_read_by_its_agencies_once_it_alone_holds_the_item(
        empty_store, tmp_path):
    """KH-NP's p-1 AMBER shared with TH-DSI by its load (kh), its AMBER record for itself alone
    (kh2, kept apart), then p-1 shared with LA-POL. A replace of kh without p-1 leaves kh2's
    record alone on it: p-1 narrows to it widened by the share, TH-DSI's load-given place gone."""
    await load(empty_store, tmp_path, "KH-NP", "AMBER", [person(ANNA)], "kh", shared=("TH-DSI",))
    await load(empty_store, tmp_path, "KH-NP", "AMBER", [person({"name": ["Anna Lee"], "nationality": ["kh"]})],
               "kh2")
    await share(empty_store, KH, ["p-1"], ["LA-POL"])
    await load(empty_store, tmp_path, "KH-NP", "AMBER", [person(ANNA, pid="p-2")], "kh", replace=True)
    q = '{ entities(ids: ["p-1"]) { tlp ... on Person { name nationality } } }'
    la, th = await reads(empty_store, "LA-POL", q), await reads(empty_store, "TH-DSI", q)
    assert (la["entities"], th["entities"]) == ([{"tlp": "AMBER", "name": "Anna Lee", "nationality": ["KH"]}], [None])
