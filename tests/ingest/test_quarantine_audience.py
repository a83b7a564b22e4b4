"""The circuit breaker decides per audience: hidden links never quarantine an identifier for a
reader who cannot see them (attack round 51b, F1).

TH-DSI loads two GREEN people sharing one GREEN phone; KH-NP then loads five RED people with the
same phone, past a limit of 5 holders for KH-NP alone (7 it may see). TH-DSI's tie, the phone's
``quarantined`` field and TH-DSI's next link read as before; KH-NP, who sees every holder, reads
the quarantine. Holders everyone may see past the limit quarantine the phone for everyone.
"""

from collections import Counter

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.investigate.shared_ids import shared_identifiers
from graphapi.security import Principal
from tests.ingest.phone_holders import PHONE, PhoneHolders, load_holders
from tests.investigate.graphql_answers import answer

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
TH = Principal("ana-th", agency="TH-DSI")
KH = Principal("ana-kh", agency="KH-NP")
QUARANTINED = '{ entity(id: "phone:+66811111111") { ... on Phone { quarantined } } }'


async def _load(store, people: list[str], src: str, owner: str, tlp: str):
    return await load_holders(store, people, src, owner, tlp)


async def _th_then_hidden_kh(store) -> None:
    """TH-DSI's two GREEN holders, then KH-NP's five RED ones: 7 holders for KH-NP, 2 for TH-DSI."""
    await _load(store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await _load(store, [f"per-kh-{i}" for i in range(5)], "kh", "KH-NP", "RED")


async def _ties(store, principal, pid: str) -> list[tuple[str, ...]]:
    """The pairs ``pid`` is tied to by shared identifiers, each pair and the list in id order."""
    return sorted(tuple(sorted((t.a.id, t.b.id))) for t in (await shared_identifiers(store, principal, [pid])).ties)


async def test_another_agencys_hidden_holders_leave_a_visible_shared_identifier_tie(empty_store):
    await _th_then_hidden_kh(empty_store)
    assert await _ties(empty_store, TH, "per-th-a") == [("per-th-a", "per-th-b")]


async def test_another_agencys_hidden_holders_leave_the_phone_unquarantined_for_the_reader(empty_store):
    await _th_then_hidden_kh(empty_store)
    assert await answer(empty_store, TH, QUARANTINED) == {"entity": {"quarantined": None}}


async def test_another_agencys_hidden_holders_leave_the_owners_next_link_a_link(empty_store):
    await _th_then_hidden_kh(empty_store)
    third = await _load(empty_store, ["per-th-c"], "th2", "TH-DSI", "GREEN")
    assert (third.relationships_created, third.quarantined) == (1, 0)
    rows = await empty_store.read("ingest/existing_nodes", {"ids": ["per-th-c"]})
    assert rows[0]["props"].get("identifiers") is None
    assert await _ties(empty_store, TH, "per-th-c") == [("per-th-a", "per-th-c"), ("per-th-b", "per-th-c")]


async def test_the_agency_past_the_limit_reads_its_own_quarantine(empty_store):
    await _th_then_hidden_kh(empty_store)
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": True}}
    assert await _ties(empty_store, KH, "per-kh-0") == []
    later = await _load(empty_store, ["per-kh-5"], "kh2", "KH-NP", "RED")
    assert (later.relationships_created, later.quarantined) == (0, 1)
    rows = await empty_store.read("ingest/existing_nodes", {"ids": ["per-kh-5"]})
    assert rows[0]["props"]["identifiers"] == ["Phone:+66811111111"]


async def test_a_hidden_loads_own_holders_past_the_limit_quarantine_only_for_its_agency(empty_store):
    await _load(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    # within one load: the guard lets five through and quarantines the phone for KH-NP alone
    kh = await _load(empty_store, [f"per-kh-{i}" for i in range(7)], "kh", "KH-NP", "RED")
    assert (kh.relationships_created, kh.quarantined) == (5, 1)
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": True}}
    assert await answer(empty_store, TH, QUARANTINED) == {"entity": {"quarantined": None}}
    assert await _ties(empty_store, TH, "per-th-a") == [("per-th-a", "per-th-b")]


async def test_holders_everyone_may_see_past_the_limit_quarantine_the_phone_for_everyone(empty_store):
    await _load(empty_store, ["per-th-a", "per-th-b", "per-th-c"], "th", "TH-DSI", "GREEN")
    await _load(empty_store, ["per-vn-a", "per-vn-b", "per-vn-c"], "vn", "VN-MPS", "GREEN")
    for reader in (TH, KH):
        assert await answer(empty_store, reader, QUARANTINED) == {"entity": {"quarantined": True}}
    assert await _ties(empty_store, TH, "per-th-a") == []
    later = await _load(empty_store, ["per-kh-0"], "kh", "KH-NP", "RED")
    assert (later.relationships_created, later.quarantined) == (0, 1)


async def test_an_amber_loads_own_holders_past_the_limit_quarantine_for_the_agencies_it_shares_with(empty_store):
    await _load(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await run_load(empty_store, PhoneHolders([f"per-kh-{i}" for i in range(7)], "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",)), viewer="KH-NP",
                   correlation_limit=5)
    la = Principal("ana-la", agency="LA-POL")
    assert [await answer(empty_store, p, QUARANTINED) for p in (KH, la, TH)] == [
        {"entity": {"quarantined": True}}, {"entity": {"quarantined": True}}, {"entity": {"quarantined": None}}]


@pytest.mark.parametrize("kh_hidden", [0, 4], ids=["kh-holds-none", "kh-holds-four-red"])
async def test_an_amber_loads_summary_never_counts_a_partners_mark_made_by_its_hidden_holders(empty_store, kh_hidden):
    # TH-DSI sees 2 holders either way; KH-NP's own view (6 > 5) marks the phone for KH-NP, which
    # TH-DSI's summary said (quarantined 1 against 0): an oracle of KH-NP's RED links (attack round 53, 1)
    await _load(empty_store, ["per-th-a"], "th", "TH-DSI", "GREEN")
    if kh_hidden:
        await _load(empty_store, [f"per-kh-{i}" for i in range(kh_hidden)], "kh", "KH-NP", "RED")
    th = await run_load(empty_store, PhoneHolders(["per-th-b"], "th2"), source="th2",
                        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",)),
                        viewer="TH-DSI", correlation_limit=5)
    assert (th.relationships_created, th.quarantined) == (1, 0)
    assert await answer(empty_store, TH, QUARANTINED) == {"entity": {"quarantined": None}}


class _RedHolders(PhoneHolders):
    """Holders whose records say RED of their own in a load at another level (the fixture's,
    ``write_records``'); the phone takes the load's level."""

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            o = Origin(self.src, f"{self.src}.csv", i)
            yield NodeRecord("Person", pid, {"name": pid, "tlp": "RED"}, o)
            yield NodeRecord("Phone", PHONE, {"number": "+66811111111"}, o)
            yield EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {"tlp": "RED"}, o)


async def test_red_holders_in_a_green_load_quarantine_only_for_their_agency(empty_store):
    # the guard's flag of a public load was public, made of holders only KH-NP may see (attack round 53, 2)
    await _load(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await run_load(empty_store, _RedHolders([f"per-kh-{i}" for i in range(7)], "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="GREEN"), viewer="KH-NP", correlation_limit=5)
    assert await answer(empty_store, TH, QUARANTINED) == {"entity": {"quarantined": None}}
    assert await _ties(empty_store, TH, "per-th-a") == [("per-th-a", "per-th-b")]
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": True}}


# A load's own quarantine (the guard's, within one load) is never the flag for everyone: the holders
# it counted may be hidden however the load says its level (attack round 54, 1: RED holders said
# after their links, or made RED by an earlier load, under a GREEN load of links).
class _LinksFirst(PhoneHolders):
    """Links (no level of their own) before their holders, which say RED."""

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            o = Origin(self.src, f"{self.src}.csv", i)
            yield NodeRecord("Phone", PHONE, {"number": "+66811111111"}, o)
            yield EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, o)
            yield NodeRecord("Person", pid, {"name": pid, "tlp": "RED"}, o)


class _LinksOnly(PhoneHolders):
    """Only the phone and links, from holders an earlier load wrote."""

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            o = Origin(self.src, f"{self.src}.csv", i)
            yield NodeRecord("Phone", PHONE, {"number": "+66811111111"}, o)
            yield EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, o)


class _People(PhoneHolders):
    def records(self):
        for i, pid in enumerate(self.people, start=2):
            yield NodeRecord("Person", pid, {"name": pid}, Origin(self.src, f"{self.src}.csv", i))


async def _th_reads_its_tie_unquarantined(store):
    assert await answer(store, TH, QUARANTINED) == {"entity": {"quarantined": None}}
    assert await _ties(store, TH, "per-th-a") == [("per-th-a", "per-th-b")]


async def test_red_holders_said_after_their_links_quarantine_only_for_their_agency(empty_store):
    await _load(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await run_load(empty_store, _LinksFirst([f"per-kh-{i}" for i in range(7)], "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="GREEN"), viewer="KH-NP", correlation_limit=5)
    await _th_reads_its_tie_unquarantined(empty_store)


async def test_red_holders_of_an_earlier_load_linked_by_a_green_load_quarantine_only_for_their_agency(empty_store):
    await _load(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    people = [f"per-kh-{i}" for i in range(7)]
    await run_load(empty_store, _People(people, "khp"), source="khp",
                   provenance=Provenance(owner="KH-NP", tlp="RED"), viewer="KH-NP", correlation_limit=5)
    await run_load(empty_store, _LinksOnly(people, "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="GREEN"), viewer="KH-NP", correlation_limit=5)
    await _th_reads_its_tie_unquarantined(empty_store)


class _CountingReads:
    """A store proxy counting the statements read, by name."""

    def __init__(self, inner) -> None:
        self.inner, self.reads = inner, Counter()

    async def read(self, name, params=None, **placeholders):
        self.reads[name] += 1
        return await self.inner.read(name, params, **placeholders)

    def __getattr__(self, name):
        return getattr(self.inner, name)


async def test_one_read_counts_the_holders_for_everyone_and_for_each_agency_of_an_amber_loads_audience(empty_store):
    # LA-POL sees 2 + 3 of its own RED + KH-NP's 1 = 6 > 5; everyone 2, KH-NP 3, VN-MPS 3
    await _load(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await _load(empty_store, [f"per-la-{i}" for i in range(3)], "la", "LA-POL", "RED")
    counting = _CountingReads(empty_store)
    kh = await run_load(counting, PhoneHolders(["per-kh-0"], "kh"), source="kh",
                        provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL", "VN-MPS")),
                        viewer="KH-NP", correlation_limit=5)
    # one batch (named: holder_bounds keeps them): not one for everyone, then one per agency
    assert counting.reads["ingest/identifier_holder_sets"] == 1
    assert (kh.relationships_created, kh.quarantined) == (1, 0)
    readers = [KH, Principal("ana-la", agency="LA-POL"), Principal("ana-vn", agency="VN-MPS"), TH]
    assert [await answer(empty_store, p, QUARANTINED) for p in readers] == [
        {"entity": {"quarantined": None}}, {"entity": {"quarantined": True}},
        {"entity": {"quarantined": None}}, {"entity": {"quarantined": None}}]
