"""Identifier guard: placeholder exclusion list and over-correlation circuit breaker."""

from __future__ import annotations

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.guard import IdentifierGuard, load_exclusions
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

ORIGIN = Origin("t", "f.csv", 1)


def test_guard_exclusions_match_placeholders_and_agents() -> None:
    ex = load_exclusions()
    for value in ("", "0", "000000", "N/A", "unknown", "1111111"):
        assert ex.excluded("Phone", value)
    assert ex.excluded("Phone", "+661300")
    assert ex.excluded("Address", "Trident Chambers, P.ORIGIN. Box 146, Road Town, Tortola, VG")
    assert not ex.excluded("Phone", "+66812345678")
    assert not ex.excluded("Address", "Street 1, Phnom Penh, KH")


def test_guard_placeholder_identifier_becomes_text_on_holder() -> None:
    guard = IdentifierGuard()
    out = list(guard.process([
        NodeRecord("Person", "p1", {"name": "A"}, ORIGIN),
        NodeRecord("Phone", "phone:N/A", {"number": "N/A"}, ORIGIN),
        EdgeRecord("USES_PHONE", "e1", "p1", "phone:N/A", {}, ORIGIN),
    ]))
    assert [type(r).__name__ for r in out] == ["NodeRecord", "NodeRecord"]
    assert out[1].id == "p1" and out[1].properties == {"identifiers": ["Phone:N/A"]}
    assert guard.stats.excluded == {"phone:N/A"}


def test_guard_keeps_an_excluded_email_as_text_with_its_address_not_its_service() -> None:
    out = list(IdentifierGuard().process([
        NodeRecord("Person", "p1", {"name": "A"}, ORIGIN),
        NodeRecord("UserAccount", "user:email:noreply@example.com",
                   {"service": "email", "handle": "noreply@example.com"}, ORIGIN),
        EdgeRecord("HAS_ACCOUNT", "e1", "p1", "user:email:noreply@example.com", {}, ORIGIN),
    ]))
    assert out[-1].id == "p1" and out[-1].properties == {"identifiers": ["UserAccount:noreply@example.com"]}


def test_guard_circuit_breaker_quarantines_overcorrelated_identifier() -> None:
    guard = IdentifierGuard(limit=3)
    recs: list = [NodeRecord("Phone", "phone:+66812345678", {"number": "+66812345678"}, ORIGIN)]
    for i in range(5):
        recs.append(NodeRecord("Person", f"p{i}", {"name": f"P{i}"}, ORIGIN))
        recs.append(EdgeRecord("USES_PHONE", f"e{i}", f"p{i}", "phone:+66812345678", {}, ORIGIN))
    out = list(guard.process(recs))
    edges = [r for r in out if isinstance(r, EdgeRecord)]
    assert [e.id for e in edges] == ["e0", "e1", "e2"]
    assert guard.stats.quarantined == {"phone:+66812345678"}
    flagged = [r for r in out if isinstance(r, NodeRecord) and r.properties.get("quarantined")]
    assert len(flagged) == 1
    texts = [r for r in out if isinstance(r, NodeRecord) and "identifiers" in r.properties]
    assert {r.id for r in texts} == {"p3", "p4"}


def test_guard_events_between_identifiers_are_not_counted() -> None:
    guard = IdentifierGuard(limit=1)
    recs: list = [NodeRecord("Phone", "phone:+1", {"number": "+12025550100"}, ORIGIN)]
    for i in range(3):
        recs.append(NodeRecord("Phone", f"phone:{i}", {"number": f"+1202555010{i}"}, ORIGIN))
        recs.append(EdgeRecord("CALLED", f"c{i}", "phone:+1", f"phone:{i}", {}, ORIGIN))
    out = list(guard.process(recs))
    assert sum(isinstance(r, EdgeRecord) for r in out) == 3 and not guard.stats.quarantined


PHONE = "phone:+66811111111"
KYC = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-01-01T00:00:00")


class _KycBatch:
    """A KYC file in which every person uses the same phone."""

    def __init__(self, people: list[str]) -> None:
        self.people = people
        self.stats = ReadStats(rows=len(people))

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            o = Origin("kyc", "kyc.csv", i)
            yield NodeRecord("Person", pid, {"name": pid}, o)
            yield NodeRecord("Phone", PHONE, {"number": "+66811111111"}, o)
            yield EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, o)


async def _kyc_load(store, people: list[str]):
    return await run_load(store, _KycBatch(people), source="kyc", provenance=KYC, correlation_limit=5)


async def test_one_load_past_the_limit_writes_the_links_before_it_and_the_rest_as_text(empty_store):
    # the guard's flag reaches the store before the links it let through (one batch): they are
    # this load's, not new links to an identifier a past load quarantined
    summary = await _kyc_load(empty_store, [f"per-{i}" for i in range(8)])
    assert (summary.quarantined, summary.relationships_created) == (1, 5)
    # an AMBER load's holders are its agency's: the quarantine is marked for it, not for everyone
    phone = await node_props(empty_store, PHONE)
    assert (phone.get("quarantined"), phone.get("quarantinedFor")) == (None, ["TH-DSI"])
    assert [(await node_props(empty_store, f"per-{i}")).get("identifiers") for i in (4, 5, 7)] == [
        None, ["Phone:+66811111111"], ["Phone:+66811111111"]]
    before = await graph_counts(empty_store)
    await _kyc_load(empty_store, [f"per-{i}" for i in range(8)])
    assert await graph_counts(empty_store) == before


async def test_circuit_breaker_counts_links_made_by_earlier_loads_and_flags_the_identifier(empty_store):
    first = await _kyc_load(empty_store, [f"per-{i}" for i in range(4)])
    second = await _kyc_load(empty_store, [f"per-{i}" for i in range(4, 8)])
    stored = (await empty_store.read("ingest/existing_nodes", {"ids": [PHONE]}))[0]["props"]
    assert (first.quarantined, second.quarantined, stored.get("quarantinedFor")) == (0, 1, ["TH-DSI"])


async def test_a_later_load_links_a_quarantined_identifier_only_as_text(empty_store):
    await _kyc_load(empty_store, [f"per-{i}" for i in range(4)])
    await _kyc_load(empty_store, [f"per-{i}" for i in range(4, 8)])  # 8 holders > 5: quarantined
    links = (await graph_counts(empty_store))[1]
    third = await _kyc_load(empty_store, ["per-8", "per-9"])
    assert (third.quarantined, third.relationships_created) == (1, 0)
    assert (await graph_counts(empty_store))[1] == links
    assert (await node_props(empty_store, "per-9"))["identifiers"] == ["Phone:+66811111111"]


async def test_a_quarantined_identifier_keeps_its_stored_links_on_a_rerun(empty_store):
    await _kyc_load(empty_store, [f"per-{i}" for i in range(4)])
    await _kyc_load(empty_store, [f"per-{i}" for i in range(4, 8)])
    before = await graph_counts(empty_store)
    again = await _kyc_load(empty_store, [f"per-{i}" for i in range(4)])
    assert await graph_counts(empty_store) == before
    assert again.relationships_created == 0 and "identifiers" not in await node_props(empty_store, "per-0")



def _judged(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (label, value) pairs the exclusion lists are asked about from now on."""
    from graphapi.ingest import guard as guard_module

    asked: list[tuple[str, str]] = []
    excluded = guard_module.Exclusions.excluded

    def counted(self, label, value):
        asked.append((label, value))
        return excluded(self, label, value)

    monkeypatch.setattr(guard_module, "_VERDICTS", {}, raising=False)  # (none before it was shared)
    monkeypatch.setattr(guard_module.Exclusions, "excluded", counted)
    return asked


def test_a_second_load_over_the_same_lists_judges_no_identifier_again(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _judged(monkeypatch)
    phones = [NodeRecord("Phone", f"phone:+6681234567{i}", {"number": f"+6681234567{i}"}, ORIGIN) for i in range(3)]
    first = list(IdentifierGuard(load_exclusions()).process(phones))
    second = list(IdentifierGuard(load_exclusions()).process(phones))  # a reload: a new guard, equal lists
    assert first == second == phones
    assert sorted(asked) == [("Phone", f"+6681234567{i}") for i in range(3)]


def test_a_guard_over_other_lists_judges_a_value_by_its_own_lists(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    _judged(monkeypatch)
    phone = NodeRecord("Phone", "phone:+66812345670", {"number": "+66812345670"}, ORIGIN)
    assert list(IdentifierGuard(load_exclusions()).process([phone])) == [phone]
    extra = tmp_path / "ours.yaml"
    extra.write_text("Phone:\n  values: ['+66812345670']\n", encoding="utf-8")
    guard = IdentifierGuard(load_exclusions([extra]))
    assert list(guard.process([phone])) == []  # the first guard's verdict is not this one's
    assert guard.stats.excluded == {"phone:+66812345670"}


def test_the_shared_verdicts_of_a_guard_hold_no_more_than_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from graphapi.ingest import guard as guard_module

    monkeypatch.setattr(guard_module, "_VERDICTS", {})
    monkeypatch.setattr(guard_module, "VERDICTS_MAX", 2)
    phones = [NodeRecord("Phone", f"phone:+6681234567{i}", {"number": f"+6681234567{i}"}, ORIGIN) for i in range(5)]
    guard = IdentifierGuard(load_exclusions())
    assert list(guard.process(phones)) == phones
    assert [len(table) for table in guard_module._VERDICTS.values()] == [1]  # emptied at 2, then the fifth
