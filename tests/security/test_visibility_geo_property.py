"""Property test: ``nearby`` and ``within`` answer exactly the VISIBLE positioned entities an
oracle finds (issue 15 with the issue 4 visibility rule): a hidden place is never shown, never
takes a place in the ``limit`` and never sets ``truncated``. Distances use the service's own
haversine (its values are checked against known ones in tests/investigate/test_geo.py); what is
checked here is which places are answered."""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_oracle import Item, visible
from test_visibility_co_travel_property import AGENCIES, VIEWERS

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.geo import haversine_km, nearby, within
from graphapi.ontology import TLP_LEVELS
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

CENTRE = (16.1, 98.1)
LABELS = ("Compound", "BorderCheckpoint", "Address")


@st.composite
def places(draw: st.DrawFn):
    """Up to 12 places on a 0.05-degree grid around the centre, each of a positioned label."""
    sharing = {
        "owner": st.sampled_from(AGENCIES),
        "tlp": st.sampled_from([*TLP_LEVELS, "GREEN"]),
        "shared": st.frozensets(st.sampled_from(AGENCIES), max_size=2),
    }
    cells = draw(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=12, unique=True))
    return [(Item(id=f"geo-{k:02d}", type=draw(st.sampled_from(LABELS)), **{n: draw(s) for n, s in sharing.items()}),
             16.0 + 0.05 * i, 98.0 + 0.05 * j) for k, (i, j) in enumerate(cells)]


def _record(item: Item, lat: float, lon: float) -> NodeRecord:
    props = {"lat": lat, "lon": lon, "owner": item.owner, "tlp": item.tlp, "sharedWith": sorted(item.shared)}
    if item.type == "Address":
        return NodeRecord("Address", f"address:{item.id}", {"addressKey": item.id, "full": item.id, **props})
    return NodeRecord(item.type, item.id, {"name": item.id, **props})


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=places())
async def test_nearby_and_within_equal_the_oracle_over_visible_places(store, graph):
    await store.clear()
    await write_records(store, [_record(*p) for p in graph], provenance=Provenance(owner="A", tlp="RED"),
                        source="prop")
    ids = {item.id: _record(item, lat, lon).id for item, lat, lon in graph}
    for agency, radius, limit in product(VIEWERS, (4.0, 9.0, 30.0), (3, 100)):
        viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
        shown = [(haversine_km(*CENTRE, lat, lon), ids[item.id]) for item, lat, lon in graph if visible(item, agency)]
        near = sorted(x for x in shown if x[0] <= radius)
        found = await nearby(store, viewer, *CENTRE, radius_km=radius, limit=limit)
        case = f"viewer {agency}, radius {radius}, limit {limit}"
        assert [h.node.id for h in found.hits] == [i for _, i in near[:limit]], case
        assert found.truncated is (len(near) > limit), case
    for agency, limit in product(VIEWERS, (2, 100)):
        viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
        inside = sorted(ids[item.id] for item, lat, lon in graph
                        if visible(item, agency) and 16.0 <= lat <= 16.11 and 98.04 <= lon <= 98.2)
        found = await within(store, viewer, [98.04, 16.0, 98.2, 16.11], limit=limit)
        assert ([h.node.id for h in found.hits], found.truncated) == (inside[:limit], len(inside) > limit), agency
