"""Another agency's placeholder (an id it only links to, never loaded as a record) answers
``restrictedLookup`` exactly as an id nobody loaded does: no owner, the same audit entries and
masking, the same lookup-budget charge (attack round 30c, M5: the lookup named KH-NP as owner of
TH-DSI's own deleted person while ``ingest`` took the id over as missing).

Each test compares TH-DSI's or VN-MPS's view after KH-NP's AMBER link kept TH-DSI's deleted per-x
as KH-NP's placeholder with the view after the same load and delete where KH-NP loaded nothing.
"""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.hits import HitBudgetExceeded, hourly_budget, lookup
from graphapi.security.trail import hidden_ids

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

SEEN = "2026-01-01T00:00:00Z"
M = load_model()
QUERY = 'query { restrictedLookup(ids: ["per-x"]) { agency } entities(ids: ["per-x"]) { id } }'


class _Records:
    """A load's records built by hand, as ``run_load`` reads them."""

    def __init__(self, *items):
        self.items, self.stats = items, ReadStats(rows=len(items))

    def records(self):
        yield from self.items


async def _load(store, owner, *recs, tlp="GREEN"):
    await run_load(store, _Records(*recs), source=f"ftm@{owner}", provenance=Provenance(owner, tlp, seen=SEEN),
                   viewer=owner)


def _person(nid, owner, props, op="merge"):
    return NodeRecord("Person", nid, props, Origin(f"ftm@{owner}", "x.json", 1), op=op)


async def _deleted_person(store, kh_links_to_it: bool):
    """TH-DSI's per-x, deleted by TH-DSI; with ``kh_links_to_it``, KH-NP's AMBER association to it
    (loaded before the delete) keeps per-x as KH-NP's placeholder."""
    await store.clear()
    await _load(store, "TH-DSI", _person("per-x", "TH-DSI", {"name": "Somchai Jaidee"}))
    if kh_links_to_it:
        link = EdgeRecord("ASSOCIATE_OF", M.relationship_id("ASSOCIATE_OF", "per-kh", "per-x"), "per-kh", "per-x",
                          {}, Origin("ftm@KH-NP", "k.json", 2))
        await _load(store, "KH-NP", _person("per-kh", "KH-NP", {"name": "Sok"}), link, tlp="AMBER")
    await _load(store, "TH-DSI", _person("per-x", "TH-DSI", {}, op="delete"))


def _analyst(agency):
    return Principal(f"analyst-{agency}", agency=agency, roles=frozenset({"analyst"}))


async def _both(store, ask):
    """``ask(store)`` after the placeholder run, then after the run without KH-NP's link."""
    got = []
    for kh_links_to_it in (True, False):
        await _deleted_person(store, kh_links_to_it)
        got.append(await ask(store))
    return got


@pytest.mark.parametrize("agency", ["TH-DSI", "VN-MPS"])
async def test_restricted_lookup_of_a_placeholder_names_no_owner(empty_store, agency):
    async def ask(store):
        r = await graphql_schema.execute(QUERY, context_value=Context(store, _analyst(agency)))
        return [e.message for e in r.errors or []], r.data

    placeholder, nobody = await _both(empty_store, ask)
    assert placeholder == nobody == ([], {"restrictedLookup": [], "entities": [None]})


async def test_a_placeholder_looked_up_writes_the_audit_entries_of_an_unknown_id(empty_store, tmp_path):
    async def ask(store):
        log = AuditLog(tmp_path / f"audit-{len(list(tmp_path.iterdir()))}.jsonl")
        await lookup(store, _analyst("TH-DSI"), ["per-x"], audit=log)
        return [(e["operation"], e["kind"], e["arguments"]) for e in log.entries()]

    placeholder, nobody = await _both(empty_store, ask)
    assert placeholder == nobody == []  # no hit recorded for KH-NP's auditors


@pytest.mark.parametrize("agency", ["TH-DSI", "VN-MPS"])
async def test_a_placeholders_id_is_not_masked_in_the_audit_trail(empty_store, agency):
    async def ask(store):
        return await hidden_ids(store, Principal(f"auditor-{agency}", agency=agency, roles=frozenset({"auditor"})),
                                {"per-x"})

    assert await _both(empty_store, ask) == [set(), set()]


async def test_a_placeholder_looked_up_takes_the_budget_unit_of_an_unknown_id(empty_store):
    runs = iter(("placeholder", "nobody"))

    async def ask(store):  # a budget of its own per run (the limiter's state outlives a clear)
        budget, answers = hourly_budget(2, name=f"lookup-{next(runs)}"), []
        for _ in range(3):  # two units: the third lookup of one hidden or unknown id is refused
            try:
                answers.append((await lookup(store, _analyst("TH-DSI"), ["per-x"], budget=budget)).restricted)
            except HitBudgetExceeded:
                answers.append("refused")
        return answers

    placeholder, nobody = await _both(empty_store, ask)
    assert placeholder == nobody == [[], [], "refused"]
