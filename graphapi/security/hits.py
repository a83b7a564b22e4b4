"""Hit / no-hit (the Prüm model of cross-border exchange): when a look-up matches entities the
principal may not see, the answer is only "a restricted match exists at agency X".

- ``restricted_hits(text)`` answers only for a WHOLE name or a WHOLE identifier
  (:mod:`graphapi.investigate.matching`: names case-, diacritic- and whitespace-folded,
  identifiers cleaned by their value type, e.g. a phone to E.164, and compared without
  separators): no prefix, no fuzzy match, no label filter, so it cannot be walked character by
  character nor asked what a hidden entity is. Its use takes from a small budget per principal
  (:data:`HIT_BUDGET_PER_HOUR`, ``LINTAS_HIT_LIMIT_PER_HOUR``) apart from the request rate limit.
- ``lookup(ids)`` answers the owners of ids that exist but are hidden. Phone, account and wallet
  ids are built from their values (``phone:+84912345678``), so a list of ids is a list of
  guesses: each id asked that the caller cannot see takes one unit of a budget per principal
  (:data:`LOOKUP_BUDGET_PER_HOUR`, ``LINTAS_LOOKUP_LIMIT_PER_HOUR``); ids of data the caller
  sees are free (the first round trip finds them anyway).

No id (beyond one the caller typed), name, label, property or count of a hidden entity is
returned to the caller. Every restricted hit, by whatever path (these two, ``ingest(records)``
and load jobs: :func:`audit_hits`; the last two take from the lookup budget, :func:`charge_ingest_hits`,
:func:`charge_load_hits`), is audited once per owner agency (kind ``hit``, the owner in
``agencies``), so that the owner's auditors read who asked, for which id or text, and when
(:mod:`graphapi.security.trail`), and no owner learns of another's hit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graphapi.errors import InvalidArgument, LintasError
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.matching import (
    flatten,
    identifier_key,
    name_key,
    query_identifier_keys,
    searchable_properties,
)
from graphapi.investigate.search import build_query
from graphapi.ontology.types.invisible import drop_invisible
from graphapi.security.audit import MAX_ITEMS, AuditSink
from graphapi.security.principal import Principal
from graphapi.security.ratelimit import RateLimiter
from graphapi.security.redaction import may_see_victims, protected_ids
from graphapi.security.trail import hidden_ids
from graphapi.store import GraphStore, Node

#: Agencies reported per search at most.
MAX_AGENCIES = 100
#: Hidden full-text candidates checked for a whole match per search at most.
MAX_CANDIDATES = 1_000
#: Of which per owner agency at most (likely whole matches first), so one agency's many
#: partial matches never crowd out another agency's whole match.
CANDIDATES_PER_AGENCY = MAX_CANDIDATES // MAX_AGENCIES
#: Default ``restrictedHits`` budget per principal and hour (``LINTAS_HIT_LIMIT_PER_HOUR``).
HIT_BUDGET_PER_HOUR = 30
#: Default ``restrictedLookup`` budget per principal and hour, in ids (``LINTAS_LOOKUP_LIMIT_PER_HOUR``).
LOOKUP_BUDGET_PER_HOUR = 300


class HitBudgetExceeded(LintasError):
    """The principal used up its hit / no-hit budget; ``retry_after_s`` until one is free."""

    code = "RATE_LIMITED"

    def __init__(self, retry_after_s: float, operation: str = "restrictedHits") -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"{operation} budget used up; try again in {int(retry_after_s) + 1} s")


class HitBudget(Protocol):
    """A per-key budget: ``await allow(key, cost, store)`` takes ``cost`` units and returns 0.0, or
    the seconds until they are free (taking nothing). :class:`RateLimiter` has this shape."""

    async def allow(self, key: str, cost: float = 1.0, store: Any = None) -> float: ...


def hourly_budget(per_hour: int, name: str = "hits") -> HitBudget:
    """``per_hour`` units per key and hour, all usable at once (0 = unlimited); shared by every
    worker through the embedded store's server, as the request rate limit is. ``name`` keeps
    budgets of different uses apart."""
    return RateLimiter(per_hour / 60.0, max(1, per_hour), name=name)


async def _take(budget: HitBudget, key: str, cost: int, store: Any) -> float:
    """Take ``cost`` units from ``budget``; 0.0, or the seconds until the rest are free. A
    :class:`RateLimiter` caps one take at its burst, so a larger cost is taken in parts (and a
    cost past the whole budget is never allowed)."""
    step = max(1, int(getattr(budget, "burst", cost) or cost))
    while cost > 0:
        wait = await budget.allow(key, min(cost, step), store)
        if wait > 0:
            return wait
        cost -= step
    return 0.0


def budget_key(principal: Principal) -> str:
    """The budget of one principal (its agency and subject)."""
    return f"{principal.agency or ''}/{principal.subject}"


@dataclass(frozen=True)
class RestrictedHit:
    """A match the principal may not see: only the owner ``agency`` ('' if unknown) and, for an id
    lookup, the ``id`` the caller asked for."""

    agency: str
    id: str | None = None


@dataclass(frozen=True)
class Lookup:
    """An id lookup: the visible nodes by id, and the hidden ids with their owners."""

    found: dict[str, Node]
    restricted: list[RestrictedHit]


def audit_hits(
    audit: AuditSink | None,
    principal: Principal | None,
    operation: str,
    hits: Iterable[RestrictedHit],
    arguments: Mapping[str, Any] | None = None,
    *,
    request_id: str | None = None,
) -> None:
    """Record ``hits`` for their owners: one entry (kind ``hit``) per owner agency with
    ``agencies: [owner]``, that owner's ``restricted: [[id, owner], ...]`` (ids the asker
    already had), ``arguments`` (what the asker sent) and the number of hits as result size; an
    owner with more ids than an entry keeps (the log cuts lists at ``MAX_ITEMS``) gets one entry
    per ``MAX_ITEMS`` ids, so every id is in the log."""
    if audit is None:
        return
    by_owner: dict[str, list[str | None]] = {}
    for hit in hits:
        ids = by_owner.setdefault(hit.agency, [])
        if hit.id not in ids:
            ids.append(hit.id)
    for owner, ids in sorted(by_owner.items()):
        known = [i for i in ids if i is not None]
        for start in range(0, max(len(known), 1), MAX_ITEMS):
            args = {**(arguments or {}), "agencies": [owner]}
            part = known[start:start + MAX_ITEMS]
            if part:
                args["restricted"] = [[i, owner] for i in part]
            size = len(part) if len(known) > MAX_ITEMS else len(ids)
            audit.record(principal, operation, args, size, kind="hit", request_id=request_id)


def _whole_match(row: Mapping[str, Any], name: str | None, identifiers: set[str]) -> bool:
    if name is not None and any(name_key(v) == name for v in flatten(row["names"] or [])):
        return True
    return bool(identifiers) and any(identifier_key(v) in identifiers for v in flatten(row["identifiers"] or []))


async def restricted_hits(
    store: GraphStore,
    principal: Principal,
    text: str,
    audit: AuditSink | None = None,
    budget: HitBudget | None = None,
    *,
    request_id: str | None = None,
    lanes: Callable[[Callable[[int | None], Awaitable[set[str]]]], Awaitable[set[str]]] | None = None,
) -> list[RestrictedHit]:
    """The agencies owning entities hidden from ``principal`` whose whole name, alias or
    identifier equals ``text`` after normalisation (:mod:`graphapi.investigate.matching`), sorted.

    ``lanes`` runs the full-text statements given their time limit (the search queue).
    Takes one unit of ``budget`` per call once its turn came (HitBudgetExceeded when none is left,
    audited as denied; none when the queue refuses it). Raises InvalidArgument for text without a
    letter or digit.
    """
    text = drop_invisible(text or "")  # as search reads it: an invisible character is no break
    query = build_query(text, store.dialect, prefix=False)
    if query is None:
        raise InvalidArgument("text must contain at least one letter or digit")
    names, identifiers = searchable_properties()
    name, keys = name_key(text), query_identifier_keys(text)
    wanted = set(keys)
    charged: list[bool] = []

    async def take_unit() -> None:
        """One unit per request, taken in its first turn: a request the queue refuses costs nothing
        (attack round 30c, L7), and one cut in the quick lane pays no second unit in the broad one."""
        if budget is None or charged:
            return
        wait = await budget.allow(budget_key(principal), 1, store)
        if wait > 0:
            if audit is not None:
                audit.record(principal, "restrictedHits", {"text": text}, 0, kind="hit", outcome="denied",
                             request_id=request_id)
            raise HitBudgetExceeded(wait)
        charged.append(True)

    async def statements(timeout_ms: int | None) -> set[str]:
        await take_unit()
        rows = await store.read(
            "security/search/restricted_hits",
            {"query": query, "names": list(names), "identifiers": list(identifiers),
             "phrases": [name] if name else [], "keys": keys,
             "perAgency": CANDIDATES_PER_AGENCY, "limit": MAX_CANDIDATES, **principal.cypher_params()},
            timeout_ms=timeout_ms,
        )
        held = {str(r["agency"]) for r in rows if _whole_match(r, name, wanted)}
        if not may_see_victims(principal):  # another agency's victim is hidden from this caller
            seen = await store.read(
                "security/search/visible_foreign_candidates",
                {"query": query, "names": list(names), "identifiers": list(identifiers),
                 "phrases": [name] if name else [], "keys": keys, "limit": MAX_CANDIDATES,
                 **principal.cypher_params()},
                timeout_ms=timeout_ms)
            whole = {str(r["id"]): str(r["agency"]) for r in seen if _whole_match(r, name, wanted)}
            held |= set((await foreign_protected_ids(store, principal, list(whole))).values())
        return held

    # full-text statements, so in the search queue's lanes like a search (attack round 30a H2)
    held = await lanes(statements) if lanes is not None else await statements(None)
    agencies = sorted(held)[:MAX_AGENCIES]
    hits = [RestrictedHit(agency=a) for a in agencies]
    audit_hits(audit, principal, "restrictedHits", hits, {"text": text}, request_id=request_id)
    return hits


async def lookup(
    store: GraphStore, principal: Principal, ids: Sequence[str], audit: AuditSink | None = None,
    budget: HitBudget | None = None, *, request_id: str | None = None,
) -> Lookup:
    """Look ids up: visible nodes in ``found``; ids that exist but are hidden in ``restricted``
    (with the owner agency); unknown ids in neither. Two round trips.

    Each distinct id the principal cannot see takes one unit of ``budget`` (HitBudgetExceeded
    when they are not all left, audited as denied; visible ids are free)."""
    unique = list(dict.fromkeys(ids))
    found = await get_nodes(store, principal, unique)
    missing = [i for i in unique if i not in found]
    restricted: list[RestrictedHit] = []
    if missing and budget is not None:
        wait = await _take(budget, budget_key(principal), len(missing), store)
        if wait > 0:
            if audit is not None:
                audit.record(principal, "lookup", {"ids": len(missing)}, 0, kind="hit", outcome="denied",
                             request_id=request_id)
            raise HitBudgetExceeded(wait, "restrictedLookup")
    if missing:
        rows = await store.read("security/lookup/restricted_by_ids", {"ids": missing, **principal.cypher_params()})
        restricted = sorted((RestrictedHit(agency=str(r["agency"]), id=str(r["id"])) for r in rows),
                            key=lambda h: (h.id or "", h.agency))
    audit_hits(audit, principal, "lookup", restricted, request_id=request_id)
    return Lookup(found=found, restricted=restricted)


async def foreign_protected_ids(store: GraphStore, principal: Principal, ids: Sequence[str],
                                chunk: int = 1_000) -> dict[str, str]:
    """The ids among ``ids`` of other agencies' items ``principal`` may see but not as themselves
    (victims and their phones, for a caller without ``victim-data``): a load treats them as hidden
    (``Writer.protected``), since search and lookups answer them as unknown (attack round 5, F3:
    a would-disclose refusal confirmed another agency's victim-protected phone). Returns id -> owner."""
    protected: set[str] = set()
    unique = sorted(set(ids))
    for start in range(0, len(unique), chunk):
        protected |= await protected_ids(store, principal, unique[start:start + chunk])
    if not protected:
        return {}
    rows = await store.read("ingest/existing_nodes", {"ids": sorted(protected)})
    owners = {str(r["id"]): str((r["props"] or {}).get("owner") or "") for r in rows}
    return {i: o for i, o in owners.items() if o != principal.agency}


async def victims_typed_in_clear(store: GraphStore, principal: Principal, ids: Sequence[str]) -> list[RestrictedHit]:
    """``restrictedLookup``'s hits for ids typed in clear that are other agencies' victims (or
    victims' phones) for ``principal``: answered as hidden items are, with their owner, as
    ``ingest`` answers them (attack round 6, G3: lookup said "unknown" where ingest said
    "restricted", which told a victim apart). They took budget units as unknown ids."""
    found = await foreign_protected_ids(store, principal, ids) if ids else {}
    return [RestrictedHit(agency=o, id=i) for i, o in sorted(found.items())]


async def charge_ingest_hits(store: GraphStore, principal: Principal, ids: Sequence[str],
                             budget: HitBudget | None, audit: AuditSink | None = None, *,
                             request_id: str | None = None, protected: Iterable[str] | None = None,
                             held: Iterable[str] = ()) -> None:
    """Before ``ingest(records)`` writes: each of its record ids that names a stored node or
    relationship hidden from ``principal`` is a hit it will answer ("restricted: ... held by"),
    so it takes one unit of the ``restrictedLookup`` budget, as looking the id up would;
    HitBudgetExceeded (audited as denied) when they are not all left, and nothing is written.
    Ids of new records are free (attack round 5, F4: 2,000 phone numbers in one ingest call were
    checked against another agency's hidden ones, past the lookup budget of 300 an hour).
    ``protected``: ids the load treats as hidden (:func:`foreign_protected_ids`), charged alike.
    A held-apart item, or another agency's placeholder, is taken over by the record as an id
    nobody loaded is (graphapi/ingest/relevel.py): free as a new id (attack round 30b, M1/H2).
    ``held``: the ids of records such an item refuses "held by" instead
    (:func:`graphapi.ingest.held_refusals.held_refusals`), hits charged alike (issue 10)."""
    if budget is None or not ids:
        return
    # a held item or another agency's placeholder is no hidden id (security/lookup/restricted_by_ids)
    hidden = await hidden_ids(store, principal, set(ids)) | (set(ids) & (set(protected or ()) | set(held)))
    wait = await _take(budget, budget_key(principal), len(hidden), store) if hidden else 0.0
    if wait > 0:
        if audit is not None:
            audit.record(principal, "ingest", {"ids": len(hidden)}, 0, kind="hit", outcome="denied",
                         request_id=request_id)
        raise HitBudgetExceeded(wait, "ingest")


async def charge_load_hits(store: GraphStore | None, principal: Principal, ids: Sequence[str],
                           budget: HitBudget | None, audit: AuditSink | None = None, *,
                           request_id: str | None = None) -> bool:
    """A load job over HTTP met ``ids`` of other agencies' items hidden from ``principal`` (hits it
    would answer "held by"): each takes one unit of the ``restrictedLookup`` budget, as looking it up
    would. True if they were all left; else False (audited as denied) and the job answers no more hits
    (:mod:`graphapi.ingest.load_process`): a load of guessed phone ids answered hit / no-hit with no
    budget at all, 1,000 guesses a call refused by restrictedLookup went in a file (attack round 38b, 2)."""
    if budget is None or not ids:
        return True
    wait = await _take(budget, budget_key(principal), len(ids), store)
    if wait > 0:
        if audit is not None:
            audit.record(principal, "load", {"ids": len(ids)}, 0, kind="hit", outcome="denied",
                         request_id=request_id)
        return False
    return True


async def load_budget_spent(store: GraphStore | None, principal: Principal, budget: HitBudget | None) -> bool:
    """True while ``principal``'s lookup budget has not one unit left: a load job is then refused at
    its start, before its body is read. A job that started answers at most the write batch in which
    its budget runs out (its hits are charged once the batch is written): docs/security.md."""
    left = getattr(budget, "left", None)
    if budget is None or left is None:
        return False
    return await left(budget_key(principal), store) < 1
