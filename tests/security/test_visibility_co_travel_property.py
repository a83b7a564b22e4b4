"""Property test: ``co_travellers`` answers exactly what an oracle finds among VISIBLE people,
checkpoints and crossings (issue 15 with the issue 4 visibility rule): hidden crossings never
appear and never count towards an occasion."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_oracle import Item, visible

from graphapi.errors import NotFound
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.cotravel import co_travellers
from graphapi.ontology import TLP_LEVELS
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

AGENCIES = ("A", "B", "C")
VIEWERS = (None, "A", "B", "C")
T0 = datetime(2025, 3, 1, 0, 0, 0)
DIRECTIONS = ("entry", "exit")


@st.composite
def crossing_graphs(draw: st.DrawFn):
    sharing = {
        "owner": st.sampled_from(AGENCIES),
        "tlp": st.sampled_from(TLP_LEVELS),
        "shared": st.frozensets(st.sampled_from(AGENCIES), max_size=2),
    }
    people = [Item(id=f"per-{i}", **{k: draw(s) for k, s in sharing.items()}) for i in range(draw(st.integers(2, 5)))]
    checkpoints = [Item(id=f"bcp-{i}", **{k: draw(s) for k, s in sharing.items()}) for i in range(2)]
    crossings = []
    for k in range(draw(st.integers(0, 14))):
        person, cp = draw(st.sampled_from(people)), draw(st.sampled_from(checkpoints))
        crossings.append((Item(id=f"x{k:02d}", type="CROSSED", start=person.id, end=cp.id,
                               **{k2: draw(s) for k2, s in sharing.items()}),
                          draw(st.integers(0, 12)), draw(st.sampled_from(DIRECTIONS))))
    return people, checkpoints, crossings


def _oracle(people, checkpoints, crossings, agency, subject, window_half_hours, min_occurrences):
    """{traveller: {own crossing id: {their crossing ids}}} over visible items."""
    shown = {n.id for n in [*people, *checkpoints] if visible(n, agency)}
    usable = [(x, h, d) for x, h, d in crossings if visible(x, agency) and x.start in shown and x.end in shown]
    own = [(x, h, d) for x, h, d in usable if x.start == subject]
    found: dict[str, dict[str, set[str]]] = {}
    for c, ch, cd in own:
        for x, h, d in usable:
            if x.start != subject and x.end == c.end and d == cd and abs(h - ch) <= window_half_hours:
                found.setdefault(x.start, {}).setdefault(c.id, set()).add(x.id)
    return {q: occ for q, occ in found.items() if len(occ) >= min_occurrences}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=crossing_graphs(), pick=st.integers(0, 100), window=st.sampled_from([0.5, 1, 2]),
       min_occurrences=st.integers(1, 2))
async def test_co_travellers_equal_the_oracle_over_visible_crossings(store, graph, pick, window, min_occurrences):
    people, checkpoints, crossings = graph

    def sharing(item: Item) -> dict:
        return {"owner": item.owner, "tlp": item.tlp, "sharedWith": sorted(item.shared)}

    await store.clear()
    records: list[NodeRecord | EdgeRecord] = [NodeRecord("Person", p.id, {"name": p.id, **sharing(p)}) for p in people]
    records += [NodeRecord("BorderCheckpoint", c.id, {"name": c.id, **sharing(c)}) for c in checkpoints]
    # Crossings every half hour: window 0.5 h = one step either side.
    records += [EdgeRecord("CROSSED", x.id, x.start, x.end, {
        "at": (T0 + timedelta(minutes=30 * h)).isoformat(timespec="seconds"), "direction": d, **sharing(x)})
        for x, h, d in crossings]
    await write_records(store, records, provenance=Provenance(owner="A", tlp="RED"), source="prop")
    subject = people[pick % len(people)]

    for agency in VIEWERS:
        viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
        if not visible(subject, agency):
            with pytest.raises(NotFound):
                await co_travellers(store, viewer, subject.id, window=window, min_occurrences=min_occurrences)
            continue
        expected = _oracle(people, checkpoints, crossings, agency, subject.id, int(window * 2), min_occurrences)
        found = await co_travellers(store, viewer, subject.id, window=window, min_occurrences=min_occurrences,
                                    limit=100)
        got = {t.person.id: {o.crossing.id: {x.id for x in o.theirs} for o in t.occasions} for t in found.travellers}
        assert got == expected, f"viewer {agency}"
        counts = [len(t.occasions) for t in found.travellers]
        assert counts == sorted(counts, reverse=True), f"viewer {agency}"
