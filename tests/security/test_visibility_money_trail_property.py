"""Property test: ``money_trail`` answers exactly the time-respecting trails an oracle finds in
the VISIBLE transfer graph alone (issue 15 with the issue 4 visibility rule).

Hypothesis draws small random graphs of accounts (random owner, TLP, sharing) and transfers
between them (random hour, owner, TLP, sharing), writes them through the ingest writer, and for
viewers of every agency (and the anonymous one) compares the trails, their end reasons and the
subgraph with a brute-force depth-first enumeration over visible accounts and transfers.
"""

from __future__ import annotations

import pytest
from dated_transfers import VIEWERS, at, transfer_graphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_oracle import Item, visible

from graphapi.errors import NotFound
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.money import money_trail
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


def _oracle(nodes, edges, agency, start, direction, max_hops, gap):
    """{(transfer ids...): reason} of every maximal time-respecting trail over visible items."""
    shown = {n.id for n in nodes if visible(n, agency)}
    usable = [(e, h) for e, h in edges if visible(e, agency) and e.start in shown and e.end in shown]
    found: dict[tuple[str, ...], str] = {}

    def walk(node, prev_hour, visited, path):
        if len(path) == max_hops:
            found[tuple(path)] = "MAX_HOPS"
            return
        onward = []
        for e, h in usable:
            near, far = (e.start, e.end) if direction == "DOWNSTREAM" else (e.end, e.start)
            if near != node or far in visited:
                continue
            if prev_hour is not None:
                ordered = h >= prev_hour if direction == "DOWNSTREAM" else h <= prev_hour
                if not ordered or (gap is not None and abs(h - prev_hour) > gap):
                    continue
            onward.append((e, h, far))
        if not onward:
            if path:
                found[tuple(path)] = "NO_ONWARD_TRANSFER"
            return
        for e, h, far in onward:
            walk(far, h, visited | {far}, [*path, e.id])

    walk(start, None, {start}, [])
    return found


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    graph=transfer_graphs(max_nodes=6, max_edges=12, max_hour=8),
    start_pick=st.integers(0, 100),
    direction=st.sampled_from(["DOWNSTREAM", "UPSTREAM"]),
    max_hops=st.integers(1, 4),
    gap=st.sampled_from([None, 1, 3]),
)
async def test_money_trail_equals_the_oracle_over_visible_transfers(store, graph, start_pick, direction, max_hops,
                                                                     gap):
    nodes, edges = graph

    def sharing(item: Item) -> dict:
        return {"owner": item.owner, "tlp": item.tlp, "sharedWith": sorted(item.shared)}

    await store.clear()
    records: list[NodeRecord | EdgeRecord] = [
        NodeRecord("BankAccount", n.id, {"accountKey": n.id.removeprefix("account:"), **sharing(n)}) for n in nodes
    ]
    records += [EdgeRecord("TRANSFERRED_TO", e.id, e.start, e.end,
                           {"at": at(h), "amount": 100.0, "currency": "USD", **sharing(e)}) for e, h in edges]
    await write_records(store, records, provenance=Provenance(owner="A", tlp="RED"), source="prop")
    start = nodes[start_pick % len(nodes)]
    ids = {e.id: e for e, _ in edges}

    for agency in VIEWERS:
        viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
        context = f"viewer {agency}"
        if not visible(start, agency):
            with pytest.raises(NotFound):
                await money_trail(store, viewer, start.id, direction=direction, max_hops=max_hops, max_gap=gap)
            continue
        expected = _oracle(nodes, edges, agency, start.id, direction, max_hops, gap)
        found = await money_trail(store, viewer, start.id, direction=direction, max_hops=max_hops, max_gap=gap,
                                  limit=1000)
        got = {tuple(t.id for t in trail.transfers): trail.reason for trail in found.trails}
        assert got == expected, context
        assert found.truncated is False, context
        on_trails = {t for trail in expected for t in trail}
        assert {e.id for e in found.subgraph.edges} == on_trails, context
        reached = {start.id} | {n for t in on_trails for n in (ids[t].start, ids[t].end)}
        assert {n.id for n in found.subgraph.nodes} == reached, context
