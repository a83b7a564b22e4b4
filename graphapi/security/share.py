"""``share(ids, agencies, tlp)``: an owner agency shares entities, or a subgraph, with others.

``ids`` are canonicalised (trimmed, NFC) and ``agencies`` must be 1 to ``MAX_AGENCIES`` (50)
agency ids (the rule of ``graphapi.ingest.options``), else InvalidArgument. Only items the acting agency owns change
(the statements match ``owner = $agency``); the rest are reported as ``refused`` without saying
whether they exist. Sharing adds the agencies to ``sharedWith``; under TLP 2.0 that opens an
item to them only at ``AMBER`` (CLEAR and GREEN are open to all already; AMBER+STRICT and RED
stay owner-only). ``tlp`` is the level to open items
up to: items stricter than it are relaxed to it, items already as open keep their level, so
sharing never makes anything less visible. ``ineffective`` lists the shared items still closed
to the agencies (AMBER+STRICT, RED). Every call is audited (kind ``share``). Each runs in one turn
of the store's write lease; cut off by the request's time limit once that turn began, it runs to
its end, audited, without the answer waiting (:mod:`graphapi.security.turns`).

The relationships shared with the entities are the agency's own among them and those between
them and nodes an agency named (and the acting agency) already sees (a checkpoint, a compound, a bank: CLEAR reference
data; a node shared with it before), decided in Cypher per agency
(``security/owned_relationships_to_seen``): a person granted on an access request shows its
crossings (new-user trial 6). A link to a node an agency cannot see is not shared with it, and
such links open at most to AMBER, never to every agency. ``unshare`` withdraws them all.

The circuit breaker checks what a share widens as it checks a load's widening: an identifier a
shared holder or link takes past the limit for an agency shared with is marked for it (flagged,
past it for everyone), never refused (:mod:`graphapi.ingest.widened_breaker`; issue 10, 1). The
identifiers among the ids it owns and those they link to are noted in the store before its first
write and unnoted after that count: a share killed in between leaves them to the next writer's
recount (:mod:`graphapi.ingest.pending_widenings`; attack round a-82, 3; an id that is the
identifier itself: a-86, 2). Those cover the identifier end of every linking relationship it may
open (it opens only its own items and links from them). An id it does not own is never noted
nor expanded: what the share writes and reads for it does not depend on whether another agency
holds it, nor on how many hold it (a-89, 3 and 4).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from graphapi.errors import InvalidArgument
from graphapi.ingest.guard import load_exclusions
from graphapi.ingest.options import check_agencies
from graphapi.ingest.pending_widenings import note, recount_left, unnote, widened_identifiers
from graphapi.ingest.quarantine_recount import recount_near
from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.statement_values import LevelChange, rebuild_values
from graphapi.ingest.widened_breaker import check_widened
from graphapi.investigate.args import check_ids
from graphapi.ontology import TLP_LEVELS, load_model
from graphapi.security import unshare_marks
from graphapi.security.audit import AuditSink
from graphapi.security.guards import require_agency, require_role
from graphapi.security.owned_ties import owned_among, owned_shared_out, owned_toward_seen, rebuild_items, stricter_than
from graphapi.security.principal import Principal
from graphapi.security.statement_levels import follow_sharing
from graphapi.security.turns import in_turn
from graphapi.security.victim_lookup import GivenIds
from graphapi.store import GraphStore

#: Roles that may change sharing.
SHARE_ROLES = ("analyst", "supervisor", "admin")
MAX_IDS = 10_000


@dataclass(frozen=True)
class ShareResult:
    """Node ids shared, relationship ids shared, ids refused (not owned or unknown), and shared
    ids whose TLP level still keeps them from the agencies (AMBER+STRICT, RED)."""

    nodes: list[str]
    relationships: list[str]
    refused: list[str]
    ineffective: list[str]
    #: Each relationship's ``(start id, end id)``: whoever shows the result needs them to show
    #: a relationship touching a victim by its token.
    ends: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)


def _check(ids: Sequence[str] | GivenIds, agencies: Sequence[str]) -> tuple[list[tuple[str, str | None]], list[str]]:
    """``(id as given, id to change)`` pairs without repeats (canonical ids: ``graphapi.ontology.ids``;
    an empty id crashed the embedded store; ``None`` to change for a victim's id typed in clear,
    see :class:`GivenIds`), and agency ids (the load options' rule), sorted; InvalidArgument
    otherwise."""
    given = ids.given if isinstance(ids, GivenIds) else ids
    if not given or len(given) > MAX_IDS:
        raise InvalidArgument(f"ids must hold 1..{MAX_IDS} ids")
    pairs = ids.pairs() if isinstance(ids, GivenIds) else [(i, i) for i in check_ids("ids", ids)]
    first: dict[str, str | None] = {}
    for given, target in pairs:
        first.setdefault(given, target)
    pairs = list(first.items())
    return pairs, check_share_agencies(agencies)


def check_share_agencies(agencies: Sequence[str]) -> list[str]:
    """``agencies`` as agency ids (the load options' rule: ``graphapi.ingest.options``), 1 to
    ``graphapi.ingest.options.MAX_AGENCIES`` of them, sorted without repeats; InvalidArgument otherwise (the message
    names the argument and never echoes the list)."""
    if not agencies:
        raise InvalidArgument("agencies must name at least one agency")
    try:
        return sorted(check_agencies(agencies))
    except ValueError as exc:
        raise InvalidArgument(f"agencies{exc}" if str(exc).startswith("[") else f"agencies {exc}") from None


def _targets(pairs: list[tuple[str, str | None]]) -> list[str]:
    return list(dict.fromkeys(r for _, r in pairs if r is not None))


def _refused(pairs: list[tuple[str, str | None]], changed: set[str]) -> list[str]:
    """The ids as given that changed nothing (a victim's id typed in clear always: as unknown)."""
    return [g for g, r in pairs if r is None or r not in changed]


async def _change(store: GraphStore, statement: str, by_type: dict[str, list[dict]], params: dict,
                  widening: LevelChange | None = None) -> list[dict]:
    """Run ``statement`` (share or unshare) on the relationships ``by_type``, type by type; returns
    the rows it answered. ``widening`` (a share): their fields are first written as they will be
    at the new level, as the nodes' are."""
    if widening is not None and by_type:
        ids = {t: [r["id"] for r in rows] for t, rows in by_type.items()}
        await rebuild_relationship_values(store, load_model(), ids, at_level=widening)
    out: list[dict] = []
    for rel_type, rows in sorted(by_type.items()):
        done = await store.write_batches(statement, rows, params=params, type=rel_type)
        out += done.returned
    return out


def _toward_seen_level(tlp: str | None) -> str | None:
    """The level a relationship to a node outside the shared ones opens to: ``tlp``, but at most
    AMBER. It is shared because the agencies named see its far end; CLEAR or GREEN would show it
    to every agency that sees that end, which nobody asked for."""
    return "AMBER" if tlp in ("CLEAR", "GREEN") else tlp


async def _share_relationships(store: GraphStore, targets: list[str], agency: str, agencies: list[str],
                               tlp: str | None, widening: LevelChange) -> list[dict]:
    """Share the agency's relationships among ``targets`` (at ``tlp``) and those from them to nodes
    the agencies already see (with the agencies that see each far end, at most at AMBER)."""
    statement = "security/share_relationships"
    params = {"agencies": agencies, "tlp": tlp, "stricter": list(widening.stricter), "agency": agency}
    rels = await _change(store, statement, await owned_among(store, targets, agency), params, widening)
    level = _toward_seen_level(tlp)
    stricter = stricter_than(level)
    for group, by_type in sorted((await owned_toward_seen(store, targets, agency, agencies)).items()):
        params = {"agencies": list(group), "tlp": level, "stricter": stricter, "agency": agency}
        rels += await _change(store, statement, by_type, params, LevelChange(agency, group, level, tuple(stricter)))
    return rels


async def _owned(store: GraphStore, targets: list[str], agency: str) -> list[str]:
    """The nodes among ``targets`` the agency owns: the only ones a share changes."""
    return [r["id"] for r in await store.read("security/owned_node_levels", {"ids": targets, "agency": agency})] \
        if targets else []


def _widened_for(agencies: list[str], items: list[dict]) -> list[str]:
    """The agencies whose views a share's ``items`` (``security/share_nodes`` and
    ``security/share_relationships`` rows) widened: those it names, and those an item was shared
    with before whose level it relaxed (RED to AMBER: its earlier ``sharedWith`` see it now)."""
    return sorted({*agencies, *(a for r in items if r["tlp"] != r["was"] for a in r["sharedWith"] or [])})


async def share(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str] | GivenIds,
    agencies: Sequence[str],
    tlp: str | None = None,
    *,
    include_relationships: bool = True,
    audit: AuditSink | None = None,
    noted: Callable[[list[str], list[str], list[str]], None] | None = None,
) -> ShareResult:
    """Share the principal's agency's entities ``ids`` with ``agencies``, and with
    ``include_relationships`` its relationships among them and those from them to nodes outside
    ``ids`` that an agency already sees (not yet the relationship): each with the agencies that see
    its far end, opened at most to AMBER. ``tlp``: TLP 2.0 level to open them up to (None: keep
    every level). ``ids`` as a :class:`GivenIds` (from the GraphQL layer): tokens resolved,
    victims' ids typed in clear refused as unknown ones are; ``refused`` and the audit name the
    ids as given. ``noted(agencies, nodes, relationships)`` is called in the share's turn with the
    agencies as checked and the ids shared: a killed grant's take-back must not withdraw them
    (:func:`graphapi.security.access.note_shared`).

    Raises Forbidden (no agency, or none of :data:`SHARE_ROLES`) and InvalidArgument.
    """
    agency = require_agency(principal)
    require_role(principal, *SHARE_ROLES)
    pairs, agencies = _check(ids, agencies)
    if tlp is not None and tlp not in TLP_LEVELS:
        raise InvalidArgument(f"tlp must be one of {list(TLP_LEVELS)}")
    stricter = stricter_than(tlp)
    targets = _targets(pairs)
    params = {"ids": targets, "agencies": agencies, "tlp": tlp, "stricter": stricter, "agency": agency}
    widening = LevelChange(agency, tuple(agencies), tlp, tuple(stricter))

    async def change(store: GraphStore) -> ShareResult:  # no load reads these items' levels halfway (R2)
        policy = load_exclusions()  # what a killed writer left unchecked, first (a-82, 3)
        await recount_left(store, policy.linking_relationships, policy.correlation_limit)
        # the identifiers among its own ids and linked to them, noted before it widens them: killed before
        # the breaker's count, the next writer recounts them (attack round a-82, 3). Its own only (what
        # share_nodes changes): an id it may not see noted or expanded told, by a write or by its time,
        # whether another agency holds that phone and how many hold it (a-89, 3 and 4)
        own = await _owned(store, targets, agency)
        widened = await note(store, await widened_identifiers(store, own))
        if own:  # the fields the nodes will have, written first (its own only: they alone change)
            await rebuild_values(store, load_model(), own, at_level=widening)
        nodes = await store.write("security/share_nodes", params) if targets else []
        shared = {r["id"]: r["tlp"] for r in nodes}
        # from the ids shared only: a refused id's relationships were opened too (attack round 20, B4)
        rels = await _share_relationships(store, sorted(shared), agency, agencies, tlp, widening) \
            if include_relationships and shared else []
        await follow_sharing(store, agency, [*nodes, *rels])
        await rebuild_items(store, sorted(shared), rels)
        # a holder or link now seen by the agencies may take their view past the limit (issue 10, 1),
        # and one whose level it relaxed is seen by every agency it was shared with (a-79, 1)
        await check_widened(store, sorted(shared), rels, _widened_for(agencies, [*nodes, *rels]),
                            public=tlp in ("CLEAR", "GREEN"))
        await unnote(store, widened)
        if noted is not None:  # in the turn, once shared (attack round 41a, 2); file work: off the loop (44b, 5)
            await asyncio.to_thread(noted, agencies, sorted(shared), sorted(r["id"] for r in rels))
        if shared:  # a cut unshare's mark of these ids is not for an unshare after this (41a, 3)
            await unshare_marks.settle(store, agency, agencies, sorted(shared))
        result = ShareResult(
            nodes=sorted(shared),
            relationships=sorted(r["id"] for r in rels),
            refused=_refused(pairs, set(shared)),
            ineffective=sorted(
                [i for i, level in shared.items() if level in ("AMBER+STRICT", "RED")]
                + [r["id"] for r in rels if r["tlp"] in ("AMBER+STRICT", "RED")]
            ),
            ends={r["id"]: (r["start"], r["end"]) for r in rels},
        )
        if audit is not None:
            audit.record(
                principal, "share",
                {"ids": [g for g, _ in pairs], "agencies": agencies, "tlp": tlp,
                 "includeRelationships": include_relationships, "refused": result.refused},
                len(result.nodes) + len(result.relationships), kind="share",
            )
        return result

    # cut off (504) in its turn, it runs to its end: never nodes shared without their relationships
    return await in_turn(store, change)


async def _unshare_relationships(store: GraphStore, targets: list[str], agency: str,
                                 agencies: list[str], mark: str, before: list[dict]) -> list[dict]:
    """Withdraw the agencies from the agency's relationships among ``targets`` and from those from
    them to other nodes that are shared with them. Their statements are narrowed first, to the
    level the relationships are about to have: a run cut short after the relationships were
    withdrawn finds those to other nodes shared no more, and would leave their statements wider.
    They are noted on the unshare's ``mark`` first, with those a cut-short run noted (``before``),
    so a rerun answers them (:mod:`graphapi.security.unshare_marks`)."""
    levels: dict[str, dict] = {}
    by_type = await owned_among(store, targets, agency, levels)
    for rel_type, rows in (await owned_shared_out(store, targets, agency, agencies, levels)).items():
        by_type.setdefault(rel_type, []).extend(rows)
    if by_type:
        noted = {r["id"]: r for r in before}
        noted.update({r["id"]: {**r, "type": t} for t, rows in by_type.items() for r in rows})
        await unshare_marks.note(store, mark, agency, agencies, targets, list(noted.values()))
    await follow_sharing(store, agency, [
        {**r, "sharedWith": [x for x in r["sharedWith"] or [] if x not in agencies]} for r in levels.values()])
    params = {"agencies": agencies, "agency": agency}
    return await _change(store, "security/unshare_relationships", by_type, params)


async def unshare(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str] | GivenIds,
    agencies: Sequence[str],
    *,
    audit: AuditSink | None = None,
    noted: Callable[[list[str], list[str]], None] | None = None,
) -> ShareResult:
    """Remove ``agencies`` from ``sharedWith`` on the principal's agency's entities ``ids``, its
    relationships among them, and those from them to other nodes that are shared with the agencies
    (what :func:`share` gave them, whatever the far end is now). ``noted(agencies, nodes)`` is
    called in the unshare's turn of the write lease with the agencies as checked (trimmed, sorted)
    and the node ids unshared: the access requests take them out of what grants list as shared
    (:func:`graphapi.security.access.note_unshared`). ``ids`` and errors as for :func:`share`."""
    agency = require_agency(principal)
    require_role(principal, *SHARE_ROLES)
    pairs, agencies = _check(ids, agencies)
    targets = _targets(pairs)
    params = {"ids": targets, "agencies": agencies, "agency": agency}

    async def change(store: GraphStore) -> ShareResult:
        # only from nodes that were shared with them: unsharing one's own CLEAR anchor took back a
        # granted person's link to it (attack round 21, C5). Read, not asked of the nodes' write,
        # and their relationships withdrawn before the nodes: a run cut short and run again finds
        # them still shared and withdraws what is left (attack round 37, 3)
        had = sorted(r["id"] for r in await store.read("security/owned_nodes_shared_with", params)) \
            if targets else []
        # what a run of it cut short after its relationships' write withdrew: answered, audited and
        # rebuilt again, as one uninterrupted run does (attack round 39a, 5)
        mark = unshare_marks.mark_id(agency, agencies, targets)
        before = await unshare_marks.withdrawn_before(store, mark) if targets else []
        rels = await _unshare_relationships(store, had, agency, agencies, mark, before) if had else []
        rels += [r for r in before if r["id"] not in {x["id"] for x in rels}]
        unshared = await store.write("security/unshare_nodes", params) if targets else []
        nodes = {r["id"] for r in unshared}
        await follow_sharing(store, agency, unshared)  # the relationships' went first
        await rebuild_items(store, sorted(nodes), rels)
        # a quarantine counted from holders the agencies saw and see no more (attack round 55, 5)
        await recount_near(store, (e for r in rels for e in (r["start"], r["end"])), sorted(nodes))
        if noted is not None:  # in the turn, with the agencies as checked (attack round 26, G3, G4)
            await asyncio.to_thread(noted, agencies, sorted(nodes))
        result = ShareResult(sorted(nodes), sorted(r["id"] for r in rels), _refused(pairs, nodes), [],
                             ends={r["id"]: (r["start"], r["end"]) for r in rels})
        if audit is not None:
            audit.record(principal, "unshare", {"ids": [g for g, _ in pairs], "agencies": agencies,
                                                "refused": result.refused},
                         len(nodes) + len(rels), kind="share")
        if targets:  # its end: a rerun now is a new unshare, and older marks of these ids are done
            await unshare_marks.settle(store, agency, agencies, targets)
        return result

    return await in_turn(store, change)  # as share's
