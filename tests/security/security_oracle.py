"""Reference oracle for the visibility property test: the same answers, computed in plain Python
from the VISIBLE subgraph alone (TLP 2.0 rule of DESIGN.md, written out independently of the
Cypher fragment).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

PUBLIC = ("CLEAR", "GREEN")


@dataclass(frozen=True)
class Item:
    """A generated node (``start``/``end`` None) or relationship with its sharing properties."""

    id: str
    owner: str
    tlp: str
    shared: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    type: str | None = None
    start: str | None = None
    end: str | None = None
    #: held apart (graphapi/ingest/relevel.py): answers as missing to whoever may not see it
    held: bool = False


def visible(item: Item, agency: str | None) -> bool:
    """CLEAR/GREEN to all; AMBER to owner and sharedWith; AMBER+STRICT and RED to the owner only."""
    if item.tlp in PUBLIC:
        return True
    if agency is not None and item.owner == agency:
        return True
    return item.tlp == "AMBER" and agency is not None and agency in item.shared


@dataclass
class Oracle:
    """The visible subgraph for one viewer and the answers every service must give on it."""

    nodes: dict[str, Item]
    edges: dict[str, Item]
    adjacency: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, nodes: list[Item], edges: list[Item], agency: str | None, types: list[str] | None = None) -> Oracle:
        vn = {n.id: n for n in nodes if visible(n, agency)}
        ve = {
            e.id: e for e in edges
            if visible(e, agency) and e.start in vn and e.end in vn and (types is None or e.type in types)
        }
        adj: dict[str, list[tuple[str, str]]] = {n: [] for n in vn}
        for e in ve.values():
            adj[e.start].append((e.id, e.end))
            adj[e.end].append((e.id, e.start))
        return cls(vn, ve, adj)

    def search(self, word: str) -> set[str]:
        """Visible node ids whose name has ``word``."""
        return {n.id for n in self.nodes.values() if word in n.words}

    def incident(self, node_id: str) -> set[str]:
        """Visible relationship ids at a visible node (empty for a hidden one)."""
        return {rid for rid, _ in self.adjacency.get(node_id, [])}

    def distances(self, start: str, max_depth: int | None = None) -> dict[str, int]:
        """Hop distances from ``start`` over the visible subgraph (undirected)."""
        dist = {start: 0}
        queue = deque([start])
        while queue:
            cur = queue.popleft()
            if max_depth is not None and dist[cur] >= max_depth:
                continue
            for _, nb in self.adjacency[cur]:
                if nb not in dist:
                    dist[nb] = dist[cur] + 1
                    queue.append(nb)
        return dist

    def induced_edges(self, ids: set[str]) -> set[str]:
        """Visible relationships with both ends in ``ids``."""
        return {e.id for e in self.edges.values() if e.start in ids and e.end in ids}

    def shortest_paths(self, a: str, b: str, max_hops: int = 8) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
        """All shortest visible paths a..b as (node ids, relationship ids); empty if none within max_hops."""
        dist = self.distances(a)
        if b not in dist or dist[b] > max_hops:
            return set()
        out: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()

        def back(node: str, nodes: list[str], rels: list[str]) -> None:
            if node == a:
                out.add((tuple(reversed(nodes)), tuple(reversed(rels))))
                return
            for rid, prev in self.adjacency[node]:
                if dist.get(prev) == dist[node] - 1:
                    back(prev, [*nodes, prev], [*rels, rid])

        back(b, [b], [])
        return out


# -- hit / no-hit and hidden-data independence (issue 10) ------------------------------------------

def restricted_owners(nodes: list[Item], agency: str | None, text: str) -> set[str]:
    """Owners of the nodes hidden from ``agency`` whose WHOLE name is ``text`` (case and spacing
    folded): hit / no-hit answers whole names only, never a word or prefix of one, and never a
    node held apart (it answers as missing)."""
    wanted = " ".join(text.lower().split())
    return {n.owner for n in nodes if not visible(n, agency) and not n.held and " ".join(n.words) == wanted}


def restricted_ids(nodes: list[Item], agency: str | None) -> set[tuple[str, str]]:
    """``(id, owner)`` of the nodes hidden from ``agency`` that a look-up by id answers as
    restricted: every one but those held apart."""
    return {(n.id, n.owner) for n in nodes if not visible(n, agency) and not n.held}


def hidden_from(agency: str | None, items: list[Item]) -> bool:
    """True if no item of ``items`` is visible to ``agency``."""
    return not any(visible(i, agency) for i in items)


# -- per-value provenance (issue 12) -------------------------------------------------------------

def visible_values(node: Item, said: list[tuple[Item, tuple[str, ...]]], agency: str | None) -> dict[str, set[str]]:
    """value -> sources (statement ids) the viewer may see asserting it: nothing on a hidden node;
    each statement ``(item, values)`` on its own visibility."""
    if not visible(node, agency):
        return {}
    out: dict[str, set[str]] = {}
    for stmt, values in said:
        if visible(stmt, agency):
            for v in values:
                out.setdefault(v, set()).add(stmt.id)
    return out


def field_values(node: Item, said: list[tuple[Item, tuple[str, ...]]], everyone: tuple[str | None, ...]) -> set[str]:
    """The values a node's ordinary field may show: those some statement asserts that every
    viewer of the node (of ``everyone``, one agency standing for all others) may see too."""
    return {v for stmt, values in said
            if all(visible(stmt, a) for a in everyone if visible(node, a)) for v in values}
