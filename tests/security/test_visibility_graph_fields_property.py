"""Property test: ``expand``, ``edgesAmong``, ``paths``, ``syndicates`` and ``brokers`` (issue 15)
answer a viewer exactly as they would on a store holding only what that viewer may see: hidden nodes
and relationships change no node, edge, truncated-node count, path, border, community, broker or
score, with a relationship type left out (``excludeRelationshipTypes``) or not."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_oracle import Item, visible

from graphapi.errors import NotFound
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.expand import edges_among, expand
from graphapi.investigate.path_modes import paths
from graphapi.investigate.syndicates import brokers, syndicates
from graphapi.ontology import TLP_LEVELS
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

AGENCIES = ("A", "B", "C")


@st.composite
def associate_graphs(draw: st.DrawFn):
    def sharing() -> dict:
        return {"owner": draw(st.sampled_from(AGENCIES)), "tlp": draw(st.sampled_from(TLP_LEVELS)),
                "shared": draw(st.frozensets(st.sampled_from(AGENCIES), max_size=2))}

    people = [(Item(id=f"per-{i}", **sharing()), draw(st.sampled_from(["TH", "VN", "MM"]))) for i in range(7)]
    ties = {}
    for _ in range(draw(st.integers(4, 16))):
        a, b = draw(st.sampled_from(people))[0].id, draw(st.sampled_from(people))[0].id
        if a != b:
            day = draw(st.integers(1, 4))
            kind = draw(st.sampled_from(["ASSOCIATE_OF", "FAMILY_OF"]))
            ties[(a, b, day)] = (Item(id=f"{kind}:{a}:{b}:{day}", type=kind, start=a, end=b, **sharing()),
                                 f"2025-01-0{day}")
    return people, list(ties.values())


async def _load(store, people, ties) -> None:
    def props(item: Item) -> dict:
        return {"owner": item.owner, "tlp": item.tlp, "sharedWith": sorted(item.shared)}

    await store.clear()
    records: list[NodeRecord | EdgeRecord] = [
        NodeRecord("Person", p.id, {"name": p.id, "nationality": [country], **props(p)}) for p, country in people]
    records += [EdgeRecord(t.type, t.id, t.start, t.end, {"from": day, **props(t)}) for t, day in ties]
    await write_records(store, records, provenance=Provenance(owner="A", tlp="RED"), source="prop")


async def _answers(store, viewer, subject: str, other: str, everyone: list[str]):
    # edgesAmong leaves unknown and hidden ids out rather than refusing them: asked for everyone.
    among = await edges_among(store, viewer, everyone)
    drawn = ([n.id for n in among.nodes], [e.id for e in among.edges], among.truncated)
    try:
        grown = await expand(store, viewer, [subject], depth=2, limit_per_node=2)
        found = await paths(store, viewer, subject, other, mode="K_SHORTEST", k=3, max_hops=4)
        scored = await syndicates(store, viewer, [subject], depth=2)
        between = await brokers(store, viewer, [subject], [other], depth=2)
        no_family = await expand(store, viewer, [subject], depth=2, limit_per_node=2,
                                 exclude_relationship_types=["FAMILY_OF"])
        associates = await paths(store, viewer, subject, other, mode="K_SHORTEST", k=3, max_hops=4,
                                 exclude_relationship_types=["FAMILY_OF"])
        unrelated = await brokers(store, viewer, [subject], [other], depth=2, exclude_relationship_types=["FAMILY_OF"])
    except NotFound:
        return drawn, "not found"
    return (
        drawn,
        [n.id for n in grown.subgraph.nodes], sorted(e.id for e in grown.subgraph.edges), grown.subgraph.truncated,
        [(t.node.id, t.shown, t.total) for t in grown.truncated_nodes],
        [([n.id for n in f.path.nodes], [r.id for r in f.path.relationships], f.borders) for f in found.paths],
        [(m.node.id, m.community, m.component, m.page_rank, m.betweenness) for m in scored.members],
        scored.communities,
        [(b.node.id, b.score) for b in between.brokers],
        [n.id for n in between.subgraph.nodes], [e.id for e in between.subgraph.edges], between.subgraph.truncated,
        [n.id for n in no_family.subgraph.nodes], sorted(e.id for e in no_family.subgraph.edges),
        [(t.node.id, t.shown, t.total) for t in no_family.truncated_nodes],
        [[r.id for r in f.path.relationships] for f in associates.paths],
        [(b.node.id, b.score) for b in unrelated.brokers],
    )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=associate_graphs(), agency=st.sampled_from((None, *AGENCIES)), pick=st.integers(0, 6))
async def test_graph_fields_answer_as_on_the_visible_subgraph_alone(store, graph, agency, pick):
    people, ties = graph
    viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
    subject, other = people[pick][0].id, people[(pick + 3) % len(people)][0].id
    await _load(store, people, ties)
    everyone = [p.id for p, _ in people]
    everything = await _answers(store, viewer, subject, other, everyone)
    shown = [(p, c) for p, c in people if visible(p, agency)]
    ids = {p.id for p, _ in shown}
    await _load(store, shown, [(t, d) for t, d in ties if visible(t, agency) and t.start in ids and t.end in ids])
    assert await _answers(store, viewer, subject, other, everyone) == everything
