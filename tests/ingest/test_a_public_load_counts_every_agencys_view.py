"""A public (CLEAR, GREEN) load's holders are seen by every agency, so its circuit breaker counts
the views of the agencies that see holders not everyone may see, not its owner's alone (issue 10,
2; docs/ontology.md: the limit is counted per audience, each agency's mark from its own view).
TH-DSI sees its 5 RED holders of the phone, the limit is 5; LA-POL's GREEN link is a sixth for
TH-DSI, while everyone (and LA-POL) sees 1. It was marked only by TH-DSI's own next load linking
the phone. The proofs count marks and reads, never seconds."""

from __future__ import annotations

import pytest

from graphapi.ingest.holder_bounds import HolderBounds
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from tests.ingest.ingest_helpers import Records

pytestmark = pytest.mark.backends

PHONE = "phone:+66811111111"
LIMIT = 5


async def _load(store, owner: str, tlp: str, source: str, *recs):
    return await run_load(store, Records(*recs), source=source, viewer=owner, correlation_limit=LIMIT,
                          provenance=Provenance(owner=owner, tlp=tlp))


def _o(source: str, line: int) -> Origin:
    return Origin(source, f"{source}.csv", line)


def _person(source: str, pid: str, line: int) -> list:
    """``pid`` and its USES_PHONE link to the phone, at line ``line`` of ``source``."""
    o = _o(source, line)
    return [NodeRecord("Person", pid, {"name": pid}, o), EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, o)]


async def _scene(store, hidden: int) -> None:
    """KH-NP's GREEN phone, and ``hidden`` RED people of TH-DSI's holding it."""
    await _load(store, "KH-NP", "GREEN", "khp", NodeRecord("Phone", PHONE, {"number": "+66811111111"}, _o("khp", 1)))
    await _load(store, "TH-DSI", "RED", "th", *(r for i in range(hidden) for r in _person("th", f"per-t-{i}", i + 1)))


async def _views(store) -> tuple[int, int, list[str], bool]:
    """(holders everyone sees, holders TH-DSI sees, the agencies marked, the flag), counted from scratch."""
    [row] = await store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                           "agencies": ["TH-DSI"]})
    return row["holders"], row["audience"][0]["holders"], row["marks"], row["quarantined"]


async def test_a_green_link_taking_a_partners_view_past_the_limit_marks_the_identifier_for_the_partner(empty_store):
    await _scene(empty_store, LIMIT)
    counts = await _load(empty_store, "LA-POL", "GREEN", "la", *_person("la", "per-la", 1))
    # TH-DSI's mark is never told to LA-POL (attack round 53, 1): its summary counts none
    assert (await _views(empty_store), counts.quarantined) == ((1, LIMIT + 1, ["TH-DSI"], False), 0)


async def test_a_green_link_leaving_a_partners_view_at_the_limit_marks_nothing(empty_store):
    await _scene(empty_store, LIMIT - 1)
    await _load(empty_store, "LA-POL", "GREEN", "la", *_person("la", "per-la", 1))
    assert await _views(empty_store) == (1, LIMIT, [], False)


async def test_green_links_in_one_load_mark_a_partner_once_its_view_passes_the_limit(empty_store):
    # KH-NP's 2 RED holders besides TH-DSI's 4: the first flush's count reads TH-DSI's view (5, at
    # the limit) and KH-NP's (3) by number, and keeps them as the bound by which LA-POL's second
    # link, a flush of its own (batch of 1), counts the phone again and marks TH-DSI
    await _scene(empty_store, LIMIT - 1)
    await _load(empty_store, "KH-NP", "RED", "kh", *(r for i in range(2) for r in _person("kh", f"per-k-{i}", i + 1)))
    await run_load(empty_store, Records(*_person("la", "per-la", 1), *_person("la", "per-la-2", 2)), source="la",
                   viewer="LA-POL", correlation_limit=LIMIT, provenance=Provenance(owner="LA-POL", tlp="GREEN"),
                   batch_size=1)
    assert await _views(empty_store) == (2, LIMIT + 1, ["TH-DSI"], False)


def test_a_public_loads_fresh_holder_counts_again_and_a_relinked_one_does_not():
    # whatever the hidden holders (none here), by what the loader counted (issue 10, 3)
    bounds = HolderBounds(LIMIT, ["LA-POL"], public=True, owner="LA-POL")
    bounds.counted({"id": PHONE, "public": ["per-la"], "views": [{"h": "per-la", "seen": ["LA-POL"]}], "hidden": 0,
                    "quarantined": False, "marks": [], "audience": [{"agency": "LA-POL", "quarantined": False}]})
    bounds.linked("per-la", PHONE, "USES_PHONE", "uses-per-la")
    relinked = bounds.due([PHONE])
    bounds.linked("per-new", PHONE, "USES_PHONE", "uses-per-new")
    assert (relinked, bounds.due([PHONE])) == ([], [PHONE])


async def test_agencies_within_the_limit_never_push_a_passing_view_out_of_the_agencies_counted(empty_store,
                                                                                              monkeypatch):
    # attack round a-79, 3: the agencies counted are capped (MAX_AGENCIES, 2 here); X00-AG and X01-AG
    # own a RED holder each (2 with the public one: within the limit) and rank before SG-CAD, which
    # owns nothing and sees KH-NP's 5 AMBER holders: only the views past the limit are ranked
    from graphapi.ingest import public_views
    monkeypatch.setattr(public_views, "MAX_AGENCIES", 2)
    await _scene(empty_store, 0)
    for n in range(2):
        await _load(empty_store, f"X0{n}-AG", "RED", f"x{n}", *_person(f"x{n}", f"per-x-{n}", 1))
    await run_load(empty_store, Records(*(r for i in range(LIMIT) for r in _person("kh", f"per-k-{i}", i + 1))),
                   source="kh", viewer="KH-NP", correlation_limit=LIMIT,
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=["SG-CAD"]))
    await _load(empty_store, "LA-POL", "GREEN", "la", *_person("la", "per-la", 1))
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                                 "agencies": ["SG-CAD"]})
    assert (row["audience"][0]["holders"], sorted(row["marks"])) == (LIMIT + 1, ["KH-NP", "SG-CAD"])
