"""The circuit breaker's check of what a ``share`` widens outside a load (issue 10, 1).

A load's widening (a new link, an owner's MOD of a link or a holder at a wider level: attack round
a-71, 2) is checked by the writer (:class:`graphapi.ingest.write_correlation.CorrelationChecks`);
a share widens the same way, outside any load: a linking relationship, or a holder, shared with
TH-DSI adds a holder to TH-DSI's view of the identifiers it links to. The share is an owner's
explicit act and is never refused (the breaker never refuses data: it keeps new links out and marks
views); the identifiers it took past the limit are quarantined as a load's count would: flagged when
the holders everyone may see pass it (a share that opens items to CLEAR or GREEN), else marked for
each agency shared with whose own view passes it (``quarantinedFor``, internal, never told to the
owner who shared). The owner's own view is the same before and after, so it is not counted. A
share opening items to CLEAR or GREEN adds a holder to every agency's view: the agencies seeing
holders not everyone may see are counted too, as a public load's are
(:mod:`graphapi.ingest.public_views`; issue 10, 2), and read as its are: only of an identifier
whose holders everyone may see, with those they may not, pass the limit (attack round a-79, 4: a
GREEN share of 10,000 ids made a read per identifier in the write lease).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.guard import load_exclusions
from graphapi.ingest.public_views import views_past
from graphapi.ingest.widened_links import gained_links
from graphapi.ingest.write_rules import _specific
from graphapi.ontology import load_model
from graphapi.store.base import GraphStore

#: Ids per read.
BATCH = 1_000


async def check_widened(store: GraphStore, nodes: Iterable[str], links: Iterable[Mapping[str, Any]],
                        agencies: Iterable[str], *, public: bool = False, types: Iterable[str] | None = None,
                        limit: int | None = None, gains: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """Count again, for everyone and for each of ``agencies``, the identifiers that nodes ``nodes``
    (holders widened) link to and that are ends of ``links`` (rows with ``type``, ``start``,
    ``end``: relationships widened) of the linking ``types``, and flag or mark those past
    ``limit`` as the breaker does (``types`` and ``limit`` by default the policy's,
    seed/exclusions); ``public``: the share opened them to every agency, whose views are counted
    too (those seeing holders not everyone may see). The nodes of ``gains`` (id ->
    :func:`graphapi.ingest.widened_links.gain`) are followed only through links an agency gaining
    them sees (attack round a-95, 1). A write of the caller's, in its turn of the
    write lease. Returns the ids whose quarantine it set."""
    if types is None or limit is None:
        ex = load_exclusions()
        types = ex.linking_relationships if types is None else types
        limit = ex.correlation_limit if limit is None else limit
    kinds, agencies = sorted(types), sorted(set(agencies))
    candidates = dict.fromkeys(e for r in links if r.get("type") in kinds for e in (r["start"], r["end"]))
    nodes = list(dict.fromkeys(nodes))
    gains = {n: gains[n] for n in nodes if gains and n in gains}
    candidates.update(dict.fromkeys(gains))
    candidates.update(dict.fromkeys(r["end"] for r in await gained_links(store, gains, kinds)))
    nodes = [n for n in nodes if n not in gains]
    for i in range(0, len(nodes), BATCH):
        for row in await store.read("ingest/linked_identifiers", {"ids": nodes[i:i + BATCH], "types": kinds}):
            candidates[row["i"]] = None
    idents = await identifiers_among(store, list(candidates))
    changed: list[str] = []
    for i in range(0, len(idents), BATCH):
        for row in await store.read("ingest/identifier_holders", {"ids": idents[i:i + BATCH], "types": kinds,
                                                                  "agencies": agencies}):
            if row["quarantined"]:
                continue  # flagged for everyone already
            flag = row["holders"] > limit
            add = [] if flag else [v["agency"] for v in row["audience"]
                                   if v["holders"] > limit and not v["quarantined"]]
            # no view passes the limit unless the holders everyone may see and the others do (a-79, 4)
            if public and not flag and row["holders"] + row["hidden"] > limit:
                add += await views_past(store, row, kinds, limit, [*agencies, *row["marks"], *add])
            if flag or add:
                await store.write("ingest/settle_quarantine", {"id": row["id"], "flag": True if flag else None,
                                                               "lift": [], "add": add})
                changed.append(row["id"])
    return changed


async def identifiers_among(store: GraphStore, ids: list[str]) -> list[str]:
    """The identifier nodes among ``ids`` (by the policy's ``identifier_labels``, as the guard
    decides: :meth:`graphapi.ingest.guard.IdentifierGuard.is_identifier`)."""
    model, wanted = load_model(), load_exclusions().identifier_labels
    out = []
    for i in range(0, len(ids), BATCH):
        for row in await store.read("ingest/node_labels", {"ids": ids[i:i + BATCH], "agency": None}):
            label = _specific(model, row["labels"] or [])
            if label is not None and any(model.is_a(label, w) for w in wanted if w in model.labels):
                out.append(str(row["id"]))
    return out
