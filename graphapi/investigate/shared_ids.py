"""Shared identifiers: who is tied to whom through the same phone, device, account, wallet,
online account, website, address or identity document (the fraud-ring pattern).

The identifier labels and the linking relationship types are the identifier guard's policy
(``seed/exclusions/placeholders.yaml``: ``identifier_labels``, ``linking_relationships``), so an
analyst sees ties through exactly what the loader treats as a shared identifier. Placeholders
never tie anyone: the loader does not make them nodes, and a placeholder node stored before its
value joined the exclusion list is skipped here by the same list
(:meth:`graphapi.ingest.guard.Exclusions.excluded`); an identifier the circuit breaker flagged
``quarantined`` is skipped in the Cypher. Visibility: statement ``analytics/shared_identifiers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from graphapi.errors import InvalidArgument
from graphapi.ingest.guard import Exclusions, checked_properties, load_exclusions
from graphapi.investigate.analytics_common import fetch_relationships
from graphapi.investigate.entities import get_nodes, require_nodes
from graphapi.investigate.expand import Subgraph
from graphapi.investigate.shown_order import shown_ids
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.store import GraphStore, Node

MAX_IDS = 100
#: Rows (holder, identifier, other) read at most: beyond this a ring is a hub, say truncated.
ROW_CAP = 5_000


@dataclass(frozen=True)
class Tie:
    """Two entities (``a`` < ``b`` by id) and the identifier nodes both are attached to."""

    a: Node
    b: Node
    identifiers: tuple[Node, ...]


@dataclass(frozen=True)
class SharedIdentifiers:
    """The ties, most identifiers first; the subgraph of entities, identifiers and links."""

    ties: list[Tie]
    subgraph: Subgraph
    truncated: bool


@cache
def _exclusions() -> Exclusions:
    return load_exclusions()


def is_placeholder(node: Node) -> bool:
    """True if an identifier node's key value is on the exclusion list (a placeholder)."""
    model = load_model()
    label = model.labels.get(node.label)
    if label is None:
        return False
    return any(
        node.properties.get(k) is not None and _exclusions().excluded(node.label, node.properties[k])
        for k in checked_properties(label) if k in label.key
    )


async def case_members(store: GraphStore, principal: Principal, case_id: str) -> list[str]:
    """The visible people and organisations involved in the case ``case_id`` (its visible
    INVOLVED_IN links), in id order: the seeds of ``sharedIdentifiers(caseId:)``. Raises NotFound
    for a case unknown or hidden (alike), InvalidArgument for an entity that is no case, a case
    with no member the reader sees, or one with more than :data:`MAX_IDS`."""
    # The messages never quote case_id: it is the id looked up, and a victim's token given as
    # caseId would come back as the victim's id (attack round 11, V1); the caller knows its own.
    (case,) = (await require_nodes(store, principal, [case_id])).values()
    if case.label != "Case":
        raise InvalidArgument(f"caseId must name a Case, not a {case.label}")
    rows = await store.read("analytics/case_members", {"case": case_id, "limit": MAX_IDS + 1,
                                                         **principal.cypher_params()})
    members = [str(r["id"]) for r in rows]
    if not members:
        raise InvalidArgument("the case has no person or organisation you may see")
    if len(members) > MAX_IDS:
        raise InvalidArgument(f"the case has more than {MAX_IDS} people and organisations you may see; "
                              f"pass up to {MAX_IDS} of them as ids")
    return members


async def shared_identifiers(store: GraphStore, principal: Principal, ids: Sequence[str]) -> SharedIdentifiers:
    """Visible people and organisations tied to any of ``ids`` (1..100) through a shared,
    visible identifier, with the identifiers of each tie. Raises InvalidArgument, and NotFound
    for an id unknown or hidden (alike)."""
    if not 1 <= len(ids) <= MAX_IDS:
        raise InvalidArgument(f"ids must hold 1 to {MAX_IDS} ids, got {len(ids)}")
    wanted = list(dict.fromkeys(ids))
    await require_nodes(store, principal, wanted)
    ex = _exclusions()
    rows = await store.read(
        "analytics/shared_identifiers",
        {"ids": wanted, "links": sorted(ex.linking_relationships), "limit": ROW_CAP + 1,
         "masked": not may_see_victims(principal), **principal.cypher_params()},
    )
    # Which rows the cap keeps: the statement's rank (protected ids ranked last and alike, the run
    # tied at the cut shipped whole), then the ids shown, never a protected stored id.
    shown = await shown_ids(store, principal, {n for r in rows for n in (r["holder"], r["identifier"], r["other"])})
    truncated = len(rows) > ROW_CAP
    rows = sorted(rows, key=lambda r: (r["rank"], shown.node(r["holder"]), shown.node(r["other"]),
                                       shown.node(r["identifier"]),
                                       shown.relationship_id(r["link"], r["holder"], r["identifier"]),
                                       shown.relationship_id(r["otherLink"], r["other"], r["identifier"])))[:ROW_CAP]
    nodes = await get_nodes(store, principal, list(dict.fromkeys(
        n for r in rows for n in (r["holder"], r["identifier"], r["other"]))))
    placeholders = {n.id for n in nodes.values() if n.label in ex.identifier_labels and is_placeholder(n)}
    # Which end of a tie is `a`, and the order of ties and identifiers, by the ids the reader is
    # shown (a victim, or a victim's phone, by its token: graphapi.investigate.shown_order).
    pairs: dict[tuple[str, str], dict[str, None]] = {}
    links: dict[tuple[str, str, str], None] = {}
    for r in rows:
        ident = r["identifier"]
        if ident in placeholders or nodes.get(ident) is None or nodes[ident].label not in ex.identifier_labels:
            continue
        a, b = sorted((r["holder"], r["other"]), key=shown.node)
        pairs.setdefault((a, b), {})[ident] = None
        links[(r["link"], r["holder"], ident)] = None
        links[(r["otherLink"], r["other"], ident)] = None
    ties = [Tie(nodes[a], nodes[b], tuple(nodes[i] for i in sorted(idents, key=shown.node)))
            for (a, b), idents in pairs.items() if a in nodes and b in nodes]
    ties.sort(key=lambda t: (-len(t.identifiers), shown.node(t.a.id), shown.node(t.b.id)))
    listed = dict.fromkeys(n.id for t in ties for n in (t.a, t.b, *t.identifiers))
    edges = await fetch_relationships(store, principal, list(links))
    return SharedIdentifiers(
        ties=ties,
        subgraph=Subgraph(nodes=[nodes[n] for n in listed], edges=edges, truncated=truncated),
        truncated=truncated,
    )
