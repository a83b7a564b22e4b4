"""`lintas generate` plants the issue's known structures: loaded through the bench's ingest path
(the tiniest scale), each analytic finds exactly the planted answer and no decoy, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio
from store_datasets import holding

from graphapi.bench.generate import generate
from graphapi.bench.load import load_feeds
from graphapi.bench.planted_feeds import PlantedAnswers, planted_rows
from graphapi.investigate.cotravel import co_travellers
from graphapi.investigate.expand import expand
from graphapi.investigate.money import money_trail
from graphapi.investigate.shared_ids import shared_identifiers
from graphapi.investigate.syndicates import brokers, syndicates
from graphapi.security import Principal
from graphapi.store import GraphStore

pytestmark = pytest.mark.asyncio(loop_scope="session")

SCALE = 0.0001  # about 40 people and 500 background relationships: the planted rows are the same at any scale
#: An analyst who may see victims' identities (the recruited are victims held at a compound).
OFFICER = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))


@pytest_asyncio.fixture(loop_scope="session")
async def generated(_backend: GraphStore,
                    tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, PlantedAnswers]:
    async def load(store: GraphStore) -> None:
        out = Path(tmp_path_factory.mktemp("generated"))
        manifest = generate(out, SCALE, seed=11)
        result = await load_feeds(store, manifest, out)
        assert sum(f.rejected for f in result.feeds) == 0 and sum(f.dangling for f in result.feeds) == 0

    await holding(_backend, f"generated-{SCALE}", load)
    return _backend, planted_rows()[1]


async def test_generated_money_trail_is_the_layering_chain_into_the_tron_wallet(generated):
    store, p = generated
    found = await money_trail(store, OFFICER, p.mule_start, "DOWNSTREAM", max_hops=4)
    assert [[t.start for t in trail.transfers] + [trail.end] for trail in found.trails] == [list(p.mule_trail)]
    assert [(e.node.id, e.reason) for e in found.end_points] == [(p.wallet, "NO_ONWARD_TRANSFER")]
    assert not {n.id for n in found.subgraph.nodes} & set(p.mule_decoys)  # the backwards chain is no trail


async def test_generated_co_travellers_are_the_three_who_crossed_on_both_days(generated):
    store, p = generated
    found = await co_travellers(store, OFFICER, p.traveller, window=2, min_occurrences=1)
    assert {(t.person.id, len(t.occasions)) for t in found.travellers} == {(x, 2) for x in p.co_travellers}


async def test_generated_syndicates_are_the_two_clusters_and_the_broker_between_them(generated):
    store, p = generated
    found = await syndicates(store, OFFICER, [p.broker], depth=2)
    groups: dict[int, set[str]] = {}
    for m in found.members:
        groups.setdefault(m.community, set()).add(m.node.id)
    assert {frozenset(g - {p.broker}) for g in groups.values()} == {frozenset(c) for c in p.clusters}
    assert [c.size for c in found.communities] == [6, 5]  # the broker joins one of the two
    between = await brokers(store, OFFICER, list(p.clusters[0]), list(p.clusters[1]), depth=1)
    assert [b.node.id for b in between.brokers] == [p.broker]


async def test_generated_recruiter_reaches_victims_of_three_countries(generated):
    store, p = generated
    found = await expand(store, OFFICER, [p.recruiter], depth=1, relationship_types=["RECRUITED"])
    recruited = {n.id: n.properties.get("nationality") for n in found.subgraph.nodes if n.id != p.recruiter}
    assert recruited == {victim: [country] for victim, country in p.recruited.items()}


@pytest.mark.parametrize("ring", ["phone", "document"])
async def test_generated_ring_members_are_tied_by_exactly_the_planted_identifier(generated, ring):
    store, p = generated
    members, identifier = (p.phone_ring, p.phone) if ring == "phone" else (p.document_ring, p.document)
    found = await shared_identifiers(store, OFFICER, [members[0]])
    assert sorted((t.a.id, t.b.id, [i.id for i in t.identifiers]) for t in found.ties) == [
        (members[0], other, [identifier]) for other in sorted(members[1:])]
