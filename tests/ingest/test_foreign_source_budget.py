"""An agency names at most 100 sources on an item another agency owns: each source is a statement
every reader of the item's values reads, and one partner's thousand-line file must not make
another agency's node slow for everyone (attack round 6, G4). The budget is per agency, so no
partner spends another's or the owner's, and the owner's own items are not bounded."""

from __future__ import annotations

import pytest
from ingest_helpers import Records, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.source_budget import MAX_FOREIGN_SOURCES, MAX_FOREIGN_VALUES
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

KH = Provenance(owner="KH-NP", tlp="GREEN", seen="2026-01-01T00:00:00")
VN = Provenance(owner="VN-MPS", tlp="GREEN", seen="2026-02-01T00:00:00")
LA = Provenance(owner="LA-MPS", tlp="GREEN", seen="2026-02-01T00:00:00")



def person(line: int, sources: list[str]) -> NodeRecord:
    return NodeRecord("Person", "per-kh", {"name": "Chea Ordinary", "sources": sources},
                      Origin("ftm", "f.json", line))


def datasets(prefix: str, n: int) -> list[str]:
    """``n`` FtM datasets as the FtM reader names a line's sources (``ftm:<dataset>``)."""
    return [f"ftm:{prefix}-{i:03d}" for i in range(n)]


async def load(store, *items, prov):
    return await run_load(store, Records(*items), source="ftm", provenance=prov, viewer=prov.owner)


@pytest.fixture
async def kh_person(empty_store):
    await load(empty_store, person(1, ["ftm:kh-cases"]), prov=KH)
    return empty_store


async def test_a_partner_naming_more_than_100_sources_on_another_agencys_node_is_refused_with_its_reason(kh_person):
    summary = await load(kh_person, person(1, datasets("vn-a", 60)), prov=VN)
    assert summary.rejections == []
    summary = await load(kh_person, person(7, datasets("vn-b", 60)), prov=VN)
    (refusal,) = summary.rejections
    assert (refusal.file, refusal.line) == ("f.json", 7)
    assert refusal.reason == ("too many sources: per-kh is held by KH-NP and your agency's records would name 120 "
                              "sources on it, a source at each level it is said at counted once (at most 100 on an "
                              "item your agency does not own); not merged")


async def test_a_refused_record_adds_neither_sources_nor_statements(kh_person):
    await load(kh_person, person(1, datasets("vn-a", 60)), prov=VN)
    before = await kh_person.read("provenance/statements_of", {"ids": ["per-kh"]})
    await load(kh_person, person(2, datasets("vn-b", 60)), prov=VN)
    after = await kh_person.read("provenance/statements_of", {"ids": ["per-kh"]})
    assert len(after) == len(before) == 61  # KH's one dataset and VN's 60
    assert not any(s.startswith("ftm:vn-b") for s in (await node_props(kh_person, "per-kh"))["sources"])


async def test_the_budget_is_each_agencys_own(kh_person):
    await load(kh_person, person(1, datasets("vn", MAX_FOREIGN_SOURCES - 1)), prov=VN)
    summary = await load(kh_person, person(1, datasets("la", MAX_FOREIGN_SOURCES - 1)), prov=LA)
    assert summary.rejections == []
    assert len((await node_props(kh_person, "per-kh"))["sources"]) == 2 * (MAX_FOREIGN_SOURCES - 1) + 2


async def test_one_source_said_at_many_levels_counts_once_per_level(kh_person):
    # attack round 9: 99 datasets at each of many sharing levels made 1,584 statements
    for n, extra in enumerate(("LA-MPS", "TH-DSI")):
        prov = Provenance(owner="VN-MPS", tlp="AMBER", shared_with=("KH-NP", extra), seen="2026-02-01T00:00:00")
        summary = await load(kh_person, person(n + 1, datasets("vn", 60)), prov=prov)
        if n == 0:
            assert summary.rejections == []
    (refusal,) = summary.rejections
    assert "would name 120 sources on it" in refusal.reason


async def test_the_owner_names_as_many_sources_on_its_own_node_as_it_has(kh_person):
    summary = await load(kh_person, person(1, datasets("kh", 150)), person(2, datasets("kh2", 50)), prov=KH)
    assert summary.rejections == []
    assert len((await node_props(kh_person, "per-kh"))["sources"]) == 202


async def test_sources_said_again_do_not_count_twice(kh_person):
    await load(kh_person, person(1, datasets("vn", MAX_FOREIGN_SOURCES - 1)), prov=VN)
    summary = await load(kh_person, person(2, datasets("vn", MAX_FOREIGN_SOURCES - 1)), prov=VN)
    assert summary.rejections == []


@pytest.fixture
async def kh_link(kh_person):
    other = NodeRecord("Person", "per-kh2", {"name": "Chea Other"}, Origin("ftm", "f.json", 2))
    await load(kh_person, other, link(1, ["ftm:kh-cases"]), prov=KH)
    return kh_person


def link(line: int, sources: list[str], **props) -> EdgeRecord:
    return EdgeRecord("ASSOCIATE_OF", "assoc-kh", "per-kh", "per-kh2", {"sources": sources, **props},
                      Origin("ftm", "g.json", line))


async def test_a_partner_naming_more_than_100_sources_on_another_agencys_relationship_is_refused(kh_link):
    cousins = {"relationship": ["cousin"]}
    assert (await load(kh_link, link(1, datasets("vn-a", 60), **cousins), prov=VN)).rejections == []
    (refusal,) = (await load(kh_link, link(2, datasets("vn-b", 60), **cousins), prov=VN)).rejections
    assert (refusal.line, refusal.reason) == (2, (
        "too many sources: assoc-kh is held by KH-NP and your agency's records would name 120 sources on it, a "
        "source at each level it is said at counted once (at most 100 on an item your agency does not own); "
        "not merged"))


async def test_a_row_whose_relationship_is_refused_is_a_rejected_row_beside_its_unchanged_end_points(kh_link):
    # attack round 11, G6: an FtM relationship line names its end points too; those changed
    # nothing, and the line was counted loaded with one "restricted" record
    cousins = {"relationship": ["cousin"]}
    await load(kh_link, link(1, datasets("vn-a", 60), **cousins), prov=VN)
    ends = [NodeRecord("Person", pid, {"sources": ["ftm:vn-b-000"]}, Origin("ftm", "g.json", 2))
            for pid in ("per-kh", "per-kh2")]
    line = Records(*ends, link(2, datasets("vn-b", 60), **cousins))
    line.stats.rows = 1  # the three records of one FtM line
    summary = await run_load(kh_link, line, source="ftm", provenance=VN, viewer=VN.owner)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected, summary.restricted) == (1, 0, 1, 0)
    assert [r.raw["id"] for r in summary.rejections] == ["assoc-kh"]


def aliased(line: int, sources: list[str], aliases: list[str]) -> NodeRecord:
    return NodeRecord("Person", "per-kh", {"alias": aliases, "sources": sources}, Origin("ftm", "f.json", line))


async def test_a_partner_record_with_thousands_of_values_on_another_agencys_node_is_refused(kh_person):
    # attack round 10, G4V: 1,000 aliases under 99 datasets, 99,000 values for every reader
    aliases = [f"Alias {i:04d}" for i in range(1_000)]
    (refusal,) = (await load(kh_person, aliased(1, datasets("vn", 99), aliases), prov=VN)).rejections
    assert refusal.reason == (
        "too many values: per-kh is held by KH-NP and your agency's statements on it would hold up to 99,000 "
        f"values, each value counted once per source it is said by (at most {MAX_FOREIGN_VALUES:,} on an item "
        "your agency does not own); not merged")


async def test_new_values_under_the_same_sources_stop_at_the_agencys_value_budget(kh_person):
    per_job = [f"Alias {i:04d}" for i in range(50)]
    for job in range(10):  # 10 datasets x 50 new aliases a job: 500 values each
        said = [f"{a} {job}" for a in per_job]
        assert (await load(kh_person, aliased(job + 1, datasets("vn", 10), said), prov=VN)).rejections == []
    (refusal,) = (await load(kh_person, aliased(11, datasets("vn", 10), ["One more"]), prov=VN)).rejections
    assert "would hold up to 5,010 values" in refusal.reason
    values = await kh_person.read("provenance/sources_by_owner", {"ids": ["per-kh"], "owner": "VN-MPS"})
    assert sum(r["values"] for r in values) == 5_000


async def test_records_asserting_no_value_fill_another_agencys_item_to_1000_sources_at_most(kh_link):
    for line in range(1, 11):  # 10 loads of 99 datasets: no statement counts them
        assert (await load(kh_link, link(line, datasets(f"vn{line}", 99)), prov=VN)).rejections == []
    (refusal,) = (await load(kh_link, link(11, datasets("vn11", 99)), prov=VN)).rejections
    assert refusal.reason == ("too many sources: assoc-kh is held by KH-NP and would list 1,091 sources (at most "
                              "1,000 once other agencies' records are merged); not merged")
