"""Property test: ``co_travel_groups`` answers exactly what a brute-force oracle finds among the
VISIBLE people, checkpoints and crossings (issue 15 with the issue 4 visibility rule): a hidden
crossing never joins, splits, extends or counts towards a group or an occasion."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import combinations, product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_oracle import Item, visible
from test_visibility_co_travel_property import AGENCIES, DIRECTIONS, VIEWERS

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.ontology import TLP_LEVELS
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

T0 = datetime(2025, 3, 1, 0, 0, 0)


@st.composite
def crossing_graphs(draw: st.DrawFn):
    """A few people crossing two checkpoints at half-hour steps 0..8, mostly visible: dense enough
    that groups form (and hidden items split them) in most examples."""
    sharing = {
        "owner": st.sampled_from(AGENCIES),
        "tlp": st.sampled_from([*TLP_LEVELS, "GREEN", "GREEN", "GREEN"]),
        "shared": st.frozensets(st.sampled_from(AGENCIES), max_size=2),
    }
    people = [Item(id=f"per-{i}", **{k: draw(s) for k, s in sharing.items()}) for i in range(draw(st.integers(2, 4)))]
    checkpoints = [Item(id=f"bcp-{i}", **{k: draw(s) for k, s in sharing.items()}) for i in range(2)]
    crossings = []
    for k in range(draw(st.integers(4, 16))):
        person, cp = draw(st.sampled_from(people)), draw(st.sampled_from(checkpoints))
        crossings.append((Item(id=f"x{k:02d}", type="CROSSED", start=person.id, end=cp.id,
                               **{k2: draw(s) for k2, s in sharing.items()}),
                          draw(st.integers(0, 8)), draw(st.sampled_from([*DIRECTIONS, "exit"]))))
    return people, checkpoints, crossings


def _oracle(people, checkpoints, crossings, agency, window_steps, min_size, min_occurrences):
    """{(members, ((crossing ids of the members) per occasion))}: every set of visible people, of at
    least ``min_size``, that is exactly the people common to ``min_occurrences`` or more occasions."""
    shown = {n.id for n in [*people, *checkpoints] if visible(n, agency)}
    usable = sorted(((x.end, d, h, x.id, x.start) for x, h, d in crossings
                     if visible(x, agency) and x.start in shown and x.end in shown))
    occasions: list[list[tuple]] = []
    for c in usable:  # a run: same checkpoint and direction, each within the window of the one before
        if occasions and occasions[-1][-1][:2] == c[:2] and c[2] - occasions[-1][-1][2] <= window_steps:
            occasions[-1].append(c)
        else:
            occasions.append([c])
    travellers = [{c[4] for c in o} for o in occasions]
    found = set()
    everyone = sorted({p for t in travellers for p in t})
    for size in range(min_size, len(everyone) + 1):
        for group in map(set, combinations(everyone, size)):
            on = [i for i, t in enumerate(travellers) if group <= t]
            if len(on) >= min_occurrences and set.intersection(*(travellers[i] for i in on)) == group:
                found.add((frozenset(group), frozenset(
                    frozenset(c[3] for c in occasions[i] if c[4] in group) for i in on)))
    return found


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=crossing_graphs(), min_size=st.integers(2, 3))
async def test_co_travel_groups_equal_the_oracle_over_visible_crossings(store, graph, min_size):
    people, checkpoints, crossings = graph

    def sharing(item) -> dict:
        return {"owner": item.owner, "tlp": item.tlp, "sharedWith": sorted(item.shared)}

    await store.clear()
    records: list[NodeRecord | EdgeRecord] = [NodeRecord("Person", p.id, {"name": p.id, **sharing(p)}) for p in people]
    records += [NodeRecord("BorderCheckpoint", c.id, {"name": c.id, **sharing(c)}) for c in checkpoints]
    records += [EdgeRecord("CROSSED", x.id, x.start, x.end, {
        "at": (T0 + timedelta(minutes=30 * h)).isoformat(timespec="seconds"), "direction": d, **sharing(x)})
        for x, h, d in crossings]
    await write_records(store, records, provenance=Provenance(owner="A", tlp="RED"), source="prop")

    # Loading is the cost: every viewer, window and occurrence count is asked of each graph.
    for agency, window, min_occurrences in product(VIEWERS, (0.5, 1, 2), (1, 2)):
        viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
        expected = _oracle(people, checkpoints, crossings, agency, int(window * 2), min_size, min_occurrences)
        found = await co_travel_groups(store, viewer, window=window, min_size=min_size,
                                       min_occurrences=min_occurrences, limit=100)
        got = {(frozenset(m.id for m in g.members), frozenset(frozenset(c.id for c in o.crossings)
                                                              for o in g.occasions)) for g in found.groups}
        case = f"viewer {agency}, window {window}, minOccurrences {min_occurrences}"
        assert got == expected, case
        ranks = [(-len(g.occasions), -len(g.members), [m.id for m in g.members]) for g in found.groups]
        assert ranks == sorted(ranks) and found.truncated is False, case
