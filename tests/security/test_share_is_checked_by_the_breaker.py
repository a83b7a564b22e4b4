"""The circuit breaker checks what a ``share`` widens, as it checks a load's widening (issue 10, 1):
an owner sharing a linking link, or a holder, with a partner at the limit takes the partner's view
past it, and the identifier is marked for the partner (never refused: the share is an explicit act).
TH-DSI sees 5 holders of the phone (its own RED people), the limit is 5."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.security.principal import Principal
from graphapi.security.share import share
from tests.ingest.ingest_helpers import Records
from tests.store_kills import killed_after_write

pytestmark = pytest.mark.backends

PHONE = "phone:+66811111111"
LIMIT = 5
LA = Principal("analyst-la", agency="LA-POL", roles=frozenset({"analyst"}))


@pytest.fixture
def policy_limit(tmp_path, monkeypatch):
    """The policy's correlation limit is LIMIT (a share has no load's limit: it reads the policy's)."""
    path = tmp_path / "limit.yaml"
    path.write_text(f"policy:\n  correlation_limit: {LIMIT}\n")
    monkeypatch.setenv("LINTAS_EXCLUSIONS", str(path))


async def _load(store, owner: str, tlp: str, source: str, *recs, shared=()):
    return await run_load(store, Records(*recs), source=source, viewer=owner, correlation_limit=LIMIT,
                          provenance=Provenance(owner=owner, tlp=tlp, shared_with=list(shared)))


def _o(source: str, line: int) -> Origin:
    return Origin(source, f"{source}.csv", line)


async def _scene(store) -> None:
    """KH-NP's GREEN phone, TH-DSI's LIMIT RED people holding it."""
    await _load(store, "KH-NP", "GREEN", "khp", NodeRecord("Phone", PHONE, {"number": "+66811111111"}, _o("khp", 1)))
    await _load(store, "TH-DSI", "RED", "th", *(r for i in range(LIMIT) for r in (
        NodeRecord("Person", f"per-t-{i}", {"name": f"t {i}"}, _o("th", i + 1)),
        EdgeRecord("USES_PHONE", f"uses-t-{i}", f"per-t-{i}", PHONE, {}, _o("th", i + 1)))))


async def _th_dsi(store, phone: str = PHONE) -> tuple[int, bool]:
    """(holders TH-DSI sees, counted from scratch; the phone quarantined for TH-DSI)."""
    [row] = await store.read("ingest/identifier_holders", {"ids": [phone], "types": ["USES_PHONE"],
                                                           "agencies": ["TH-DSI"]})
    return row["audience"][0]["holders"], row["audience"][0]["quarantined"]


async def test_sharing_a_link_to_a_partner_at_the_limit_marks_the_identifier_for_it(empty_store, policy_limit):
    await _scene(empty_store)
    # LA-POL's GREEN person, its RED link to the phone: TH-DSI sees the person, not the link
    await _load(empty_store, "LA-POL", "GREEN", "lah", NodeRecord("Person", "per-h", {"name": "h"}, _o("lah", 1)))
    await _load(empty_store, "LA-POL", "RED", "la", EdgeRecord("USES_PHONE", "uses-la", "per-h", PHONE, {},
                                                               _o("la", 1)))
    assert await _th_dsi(empty_store) == (LIMIT, False)
    done = await share(empty_store, LA, ["per-h"], ["TH-DSI"], "AMBER")
    assert (done.relationships, await _th_dsi(empty_store)) == (["uses-la"], (LIMIT + 1, True))


async def test_sharing_a_holder_with_a_partner_at_the_limit_marks_the_identifier_for_it(empty_store, policy_limit):
    await _scene(empty_store)
    # LA-POL's RED person behind its link AMBER shared with TH-DSI: TH-DSI sees the link, not its holder
    await _load(empty_store, "LA-POL", "RED", "lah", NodeRecord("Person", "per-h", {"name": "h"}, _o("lah", 1)))
    await _load(empty_store, "LA-POL", "AMBER", "la", EdgeRecord("USES_PHONE", "uses-la", "per-h", PHONE, {},
                                                                 _o("la", 1)), shared=["TH-DSI"])
    assert await _th_dsi(empty_store) == (LIMIT, False)
    done = await share(empty_store, LA, ["per-h"], ["TH-DSI"], "AMBER")
    assert (done.nodes, await _th_dsi(empty_store)) == (["per-h"], (LIMIT + 1, True))


async def test_sharing_within_the_limit_marks_nothing(empty_store, policy_limit):
    await _scene(empty_store)
    await _load(empty_store, "LA-POL", "RED", "lah", NodeRecord("Person", "per-h", {"name": "h"}, _o("lah", 1)))
    await _load(empty_store, "LA-POL", "AMBER", "la", EdgeRecord("USES_PHONE", "uses-la", "per-h", PHONE, {},
                                                                 _o("la", 1)), shared=["KH-NP"])
    await share(empty_store, LA, ["per-h"], ["KH-NP"], "AMBER")
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                                 "agencies": ["KH-NP"]})
    assert (row["audience"][0]["holders"], row["marks"], row["quarantined"]) == (1, [], False)


async def test_sharing_a_holder_at_green_marks_the_identifier_for_an_agency_it_takes_past_the_limit(empty_store,
                                                                                                    policy_limit):
    # opened to every agency, LA-POL's person is a sixth holder for TH-DSI, though shared with KH-NP
    # alone and seen by everyone as the only one (issue 10, 2, as a public load's holder)
    await _scene(empty_store)
    await _load(empty_store, "LA-POL", "RED", "lah", NodeRecord("Person", "per-h", {"name": "h"}, _o("lah", 1)))
    await _load(empty_store, "LA-POL", "GREEN", "la", EdgeRecord("USES_PHONE", "uses-la", "per-h", PHONE, {},
                                                                 _o("la", 1)))
    assert await _th_dsi(empty_store) == (LIMIT, False)
    done = await share(empty_store, LA, ["per-h"], ["KH-NP"], "GREEN")
    assert (done.nodes, await _th_dsi(empty_store)) == (["per-h"], (LIMIT + 1, True))


async def test_a_green_share_reads_no_other_views_of_identifiers_no_view_can_take_past_the_limit(empty_store,
                                                                                                 policy_limit):
    # a-79, 4: a read of the agencies' views per identifier, in the write lease, whatever the holders
    phones = [f"phone:+6681000000{i}" for i in range(3)]
    await _load(empty_store, "LA-POL", "RED", "la", *(r for i, ph in enumerate(phones) for r in (
        NodeRecord("Phone", ph, {"number": ph[6:]}, _o("la", i + 1)),
        NodeRecord("Person", f"per-{i}", {"name": f"p {i}"}, _o("la", i + 1)),
        EdgeRecord("USES_PHONE", f"uses-{i}", f"per-{i}", ph, {}, _o("la", i + 1)))))
    names, read = [], empty_store.read

    async def counted(name, params=None, *args, **kwargs):
        names.append(name)
        return await read(name, params, *args, **kwargs)
    empty_store.read = counted
    try:
        done = await share(empty_store, LA, [f"per-{i}" for i in range(3)], ["KH-NP"], "GREEN")
    finally:
        del empty_store.read
    assert (done.nodes, names.count("ingest/identifier_shared_views")) == (["per-0", "per-1", "per-2"], 0)


async def test_a_share_relaxing_a_holder_counts_the_agencies_it_was_shared_with_before(empty_store, policy_limit):
    # a-79, 1: LA-POL's RED person, named shared with TH-DSI but unseen (RED), turns AMBER by a share
    # with VN-MPS, and TH-DSI, not named by the share, sees it: a sixth holder
    await _scene(empty_store)
    await _load(empty_store, "LA-POL", "RED", "lah", NodeRecord("Person", "per-h", {"name": "h"}, _o("lah", 1)),
                shared=["TH-DSI"])
    await _load(empty_store, "LA-POL", "AMBER", "la", EdgeRecord("USES_PHONE", "uses-la", "per-h", PHONE, {},
                                                                 _o("la", 1)), shared=["TH-DSI"])
    assert await _th_dsi(empty_store) == (LIMIT, False)
    done = await share(empty_store, LA, ["per-h"], ["VN-MPS"], "AMBER")
    assert (done.nodes, await _th_dsi(empty_store)) == (["per-h"], (LIMIT + 1, True))


@pytest.mark.parametrize("write", ["security/share_nodes", "security/follow_sharing"])
async def test_a_share_killed_before_the_breakers_count_is_counted_by_the_next_writer(empty_store, policy_limit,
                                                                                     monkeypatch, write):
    # a-82, 3: LA-POL's RED person behind its AMBER link shared with TH-DSI, shared with TH-DSI and
    # killed after that write, before the count; the owner never reruns it, another agency loads
    await _scene(empty_store)
    await _load(empty_store, "LA-POL", "RED", "lah", NodeRecord("Person", "per-r", {"name": "r"}, _o("lah", 1)))
    await _load(empty_store, "LA-POL", "AMBER", "la", EdgeRecord("USES_PHONE", "uses-la", "per-r", PHONE, {},
                                                                 _o("la", 1)), shared=["TH-DSI"])
    await killed_after_write(empty_store, monkeypatch, write,
                             lambda: share(empty_store, LA, ["per-r"], ["TH-DSI"], "AMBER"))
    assert await _th_dsi(empty_store) == (LIMIT + 1, False)
    await _load(empty_store, "VN-MPS", "RED", "vn", NodeRecord("Person", "per-v", {"name": "v"}, _o("vn", 1)))
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


PHONE2 = "phone:+66822222222"


@pytest.mark.parametrize("write", ["security/share_relationships", "security/follow_sharing"])
async def test_a_share_of_the_identifier_itself_killed_before_the_breakers_count_is_counted_by_the_next_writer(
        empty_store, policy_limit, monkeypatch, write):
    # a-86, 2: LA-POL's AMBER phone shared with TH-DSI, held by TH-DSI's LIMIT RED people and by
    # LA-POL's GREEN person through its RED link; LA-POL shares the phone again, its link with it
    # (TH-DSI sees a sixth holder). Only the identifiers linked to the ids were noted, never an id
    # that is one: killed before the count, nothing was left to recount
    await _load(empty_store, "LA-POL", "AMBER", "lap", NodeRecord("Phone", PHONE2, {"number": "+66822222222"},
                                                                  _o("lap", 1)), shared=["TH-DSI"])
    await _load(empty_store, "TH-DSI", "RED", "th", *(r for i in range(LIMIT) for r in (
        NodeRecord("Person", f"per-t-{i}", {"name": f"t {i}"}, _o("th", i + 1)),
        EdgeRecord("USES_PHONE", f"uses-t-{i}", f"per-t-{i}", PHONE2, {}, _o("th", i + 1)))))
    await _load(empty_store, "LA-POL", "GREEN", "lah", NodeRecord("Person", "per-h", {"name": "h"}, _o("lah", 1)))
    await _load(empty_store, "LA-POL", "RED", "la", EdgeRecord("USES_PHONE", "uses-la", "per-h", PHONE2, {},
                                                               _o("la", 1)))
    assert await _th_dsi(empty_store, PHONE2) == (LIMIT, False)
    await killed_after_write(empty_store, monkeypatch, write,
                             lambda: share(empty_store, LA, [PHONE2], ["TH-DSI"], "AMBER"))
    assert await _th_dsi(empty_store, PHONE2) == (LIMIT + 1, False)
    await _load(empty_store, "VN-MPS", "RED", "vn", NodeRecord("Person", "per-v", {"name": "v"}, _o("vn", 1)))
    assert await _th_dsi(empty_store, PHONE2) == (LIMIT + 1, True)
