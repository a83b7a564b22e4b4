"""Random transfer graphs for the analytics visibility property tests (money trail, timeline):
accounts and TRANSFERRED_TO relationships, each with a drawn owner, TLP and sharing, and each
transfer with an hour after :data:`T0`."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st
from security_oracle import Item

from graphapi.ontology import TLP_LEVELS

AGENCIES = ("A", "B", "C")
VIEWERS = (None, "A", "B", "C")
T0 = datetime(2025, 3, 1, 0, 0, 0)


def at(hour: int) -> str:
    """The instant ``hour`` hours after :data:`T0`, as stored (ISO 8601, seconds)."""
    return (T0 + timedelta(hours=hour)).isoformat(timespec="seconds")


@st.composite
def transfer_graphs(draw: st.DrawFn, max_nodes: int, max_edges: int, max_hour: int
                    ) -> tuple[list[Item], list[tuple[Item, int]]]:
    """2..``max_nodes`` accounts and 0..``max_edges`` transfers between two different ones, each
    with its hour (0..``max_hour``)."""
    sharing = {
        "owner": st.sampled_from(AGENCIES),
        "tlp": st.sampled_from(TLP_LEVELS),
        "shared": st.frozensets(st.sampled_from(AGENCIES), max_size=2),
    }
    n = draw(st.integers(2, max_nodes))
    nodes = [Item(id=f"account:a{i}", **{k: draw(s) for k, s in sharing.items()}) for i in range(n)]
    edges = []
    for k in range(draw(st.integers(0, max_edges))):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(0, n - 2))
        b = b + 1 if b >= a else b
        edges.append((Item(id=f"t{k:02d}", type="TRANSFERRED_TO", start=f"account:a{a}", end=f"account:a{b}",
                           **{k2: draw(s) for k2, s in sharing.items()}), draw(st.integers(0, max_hour))))
    return nodes, edges
