"""Deciding an access request (:mod:`graphapi.security.access`): one decision at a time, and a
grant that shares what it says it shares, no more and no less.

- **Claim.** Before anything waits, the decision claims the request (a token with a lapse time,
  :attr:`AccessRequest.claim`): a refusal or a withdrawal meanwhile is told it is being decided
  (attack round 19, A2).
- **One turn.** A grant runs in one turn of the store's write lease: the ids an earlier grant cut
  off part way left noted are taken back, what the requester sees already is read, the ids this
  grant opens are noted on the request and audited, then shared. No share, unshare, grant or
  load comes between, so what is noted is exactly what this grant opened, and taking it back
  after a failure takes back nothing shared apart from it. (Attack rounds 21 C1 and 22 N1: what
  the requester saw was read before the claim and outside the lease, so a grant that failed took
  back what another grant or a separate share had opened meanwhile, and one of a killed grant's
  ids shared again was never noted.)
- **Cut off.** A grant is a task of its own (:mod:`graphapi.security.turns`, as a share or an
  unshare is). Cut off (504) while it waits for the lease, it is dropped and the claim given back;
  cut off once its turn began, it runs to its end (granted, or taken back on failure) without the
  answer waiting: the request then says which.
- **Still its own.** A decision whose claim lapsed while it waited finds the request withdrawn or
  decided at the start of its turn, before it takes back or shares anything (attack round 26, G6).
- **Killed.** A grant killed part way leaves its opened ids noted; the next decision on the request
  takes them back first (except those another granted request of the requester's agency shares),
  and the requester cannot withdraw it before.
- **All it shared.** Noted with the ids it opens is what else its share gives the requester, not
  shared with it before: the owner's relationships among the ids and toward nodes it sees, and the
  granted nodes it saw (:mod:`graphapi.security.grant_shares`); a failed or killed grant takes
  those back too (attack round 39a, 4: the AMBER tie between two CLEAR people stayed shared).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphapi.errors import Forbidden, InvalidArgument, NotFound
from graphapi.ingest.write_lease import exclusively
from graphapi.investigate.entities import get_nodes
from graphapi.security.access import (
    DECIDE_ROLES,
    MAX_REASON,
    AccessRequest,
    AccessRequestStore,
    claim_request,
    lookup_ids,
    visible_to,
)
from graphapi.security.access_notes import hand_over_levels, killed_notes, levels_noted
from graphapi.security.audit import AuditSink
from graphapi.security.grant_shares import also_shared, covered_ties, take_back_also
from graphapi.security.guards import require_agency, require_role
from graphapi.security.owned_ties import owned_among
from graphapi.security.principal import Principal
from graphapi.security.share import share
from graphapi.security.timeutil import utc_now
from graphapi.security.turns import in_turn
from graphapi.security.victim_lookup import GivenIds
from graphapi.store import GraphStore

log = logging.getLogger("graphapi.security.access")


@dataclass(frozen=True)
class _Noted:
    """What a grant notes before its share: the ids it opens (``granting``), the nodes and
    relationships its share adds the requester to (``granting_nodes``, ``granting_ties``) and the
    levels it relaxes (``granting_levels``): :mod:`graphapi.security.grant_shares`."""

    opened: list[str]
    nodes: list[str] = field(default_factory=list)
    ties: list[dict[str, str]] = field(default_factory=list)
    levels: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, request: AccessRequest) -> _Noted:
        return cls(list(request.granting), list(request.granting_nodes), [dict(t) for t in request.granting_ties],
                   [dict(t) for t in request.granting_levels])

    def __bool__(self) -> bool:
        return bool(self.opened or self.nodes or self.ties or self.levels)

    def keep_on(self, request: AccessRequest) -> None:
        request.granting, request.granting_nodes, request.granting_ties = self.opened, self.nodes, self.ties
        request.granting_levels = self.levels


def _release(table: dict[str, AccessRequest], killed: AccessRequest) -> None:
    """The granted requests' holds against ``killed``'s take-back go, its notes replaced by a new
    grant's: held against its old notes only, a hold kept a later kill's entry on a node or tie
    deleted and asserted again since as the granted request's (attack round 47, 1)."""
    for r in table.values():
        if r.status == "granted" and r.requester_agency == killed.requester_agency and r.owner == killed.owner:
            if r.shared_against:
                rest = {i: [x for x in a if x != killed.id] for i, a in r.shared_against.items()}
                r.shared_against = {i: a for i, a in rest.items() if a}
            for t in r.shared_ties or ():
                if killed.id in t.get("against", ()):
                    t["against"] = [x for x in t["against"] if x != killed.id]


class _Decision:
    """One claimed decision on ``request``: its token ``claim``, and what an earlier grant cut
    off part way left noted (``cut_off``: as claimed, then as read again at the start of its turn)."""

    def __init__(self, store: GraphStore, requests: AccessRequestStore, principal: Principal,
                 request: AccessRequest, claim: str, cut_off: _Noted, audit: AuditSink | None,
                 audit_request_id: str | None) -> None:
        self.store, self.requests, self.principal, self.request = store, requests, principal, request
        self.claim, self.cut_off, self.audit, self.audit_request_id = claim, cut_off, audit, audit_request_id
        self.requester = [request.requester_agency]

    async def _takeable(self, store: GraphStore, noted: _Noted) -> _Noted:
        """``noted`` less the ids and relationships another granted request of the requester's agency
        to this owner shares (its ``shared`` and ``shared_ties``): taking back a killed grant's ids
        must not take back a grant that stands. A relationship merely touching one of its ids is not
        that request's: a granted person kept a killed grant's tie toward a node the grant never
        opened (attack round 45b, 1). Its levels all stay: a grant after them took them over
        (:func:`hand_over_levels`), so a level still noted was stricter than AMBER when the killed
        grant noted it, the owner's since any grant listed (a replace narrowing p-1 after TH-DSI's
        grant of it: the refusal of a killed grant of it left it AMBER, round 42a). A listed tie
        counts against this request only if it was noted when that grant listed it: a tie deleted
        and asserted again since is not the grant's (round 46b, 2), and so is a listed id (a node
        deleted and asserted again: round 47, 1). A request granted before the list holds the
        owner's ties among its ``shared`` ids (both ends granted: round 46b, 5); before the map of
        its ids, those ids against nothing (the closed side)."""
        granted = [r for r in self.requests.all() if r.id != self.request.id and r.status == "granted"
                   and r.requester_agency == self.request.requester_agency and r.owner == self.request.owner]
        kept = {i for r in granted for i in r.shared if self.request.id in (r.shared_against or {}).get(i, ())}
        kept_ties = {t["id"] for r in granted for t in r.shared_ties or () if self.request.id in t.get("against", ())}
        old = sorted({i for r in granted if r.shared_ties is None for i in r.shared})
        if old:
            among = await owned_among(store, old, self.request.owner)
            kept_ties |= {t["id"] for rows in among.values() for t in rows}
        return _Noted([i for i in noted.opened if i not in kept], [i for i in noted.nodes if i not in kept],
                      [t for t in noted.ties if t["id"] not in kept_ties], noted.levels)

    async def _take_back_cut_off(self, store: GraphStore) -> None:
        """Take back what a grant killed part way opened, in this decision's turn of the write lease
        (read before the turn, another grant of the ids finishing meanwhile lost them: round 24, D1)."""
        await self._unshare(store, await self._takeable(store, self.cut_off), "killed grant")

    async def _unshare(self, store: GraphStore, noted: _Noted, why: str) -> None:
        """Unshare what ``noted`` names from the requester, audited as this request's taking back
        (round 24, D5): exactly what its share gave (:func:`take_back_also`), never the requester's
        place on an id or tie shared with it before (round 41a, 1)."""
        if not noted:
            return
        also = sorted(set(noted.nodes + [t["id"] for t in noted.ties + noted.levels]) - set(noted.opened))
        if self.audit is not None:
            self.audit.record(self.principal, "accessRequest.takingBack", {
                "request": self.request.id, "owner": self.request.owner,
                "requesterAgency": self.request.requester_agency, "ids": noted.opened, "also": also, "why": why},
                len(noted.opened) + len(also), kind="access", request_id=self.audit_request_id)
        # an opened id neither noted as a node nor as a level is one noted before round 41a's
        # notes (a hidden id shared before is RED or AMBER+STRICT, so it has a level noted)
        relaxed = {r["id"] for r in noted.levels}
        nodes = [*noted.nodes, *(i for i in noted.opened if i not in noted.nodes and i not in relaxed)]
        await take_back_also(store, self.request.owner, nodes, noted.ties, self.request.requester_agency,
                             noted.levels)

    def _give_back(self, *, noted: _Noted | None) -> None:
        """Give the claim back (the request is pending as before); ``noted``: what stays noted as
        shared by a grant cut off part way (None: leave it as it is)."""
        with self.requests._locked() as table:
            request = table.get(self.request.id)
            if request is not None and request.claim == self.claim:
                request.claim = request.claim_until = None
                if noted is not None:
                    noted.keep_on(request)

    def _still_mine(self, table: dict[str, AccessRequest]) -> AccessRequest:
        """The request, pending and claimed by this decision; InvalidArgument if its claim lapsed
        (past CLAIM_S) and another decision or a withdrawal came (round 24, D2)."""
        request = table[self.request.id]
        if request.claim != self.claim or request.status != "pending":
            raise InvalidArgument(f"request {request.id} was decided meanwhile")
        return request

    def _check_still_mine(self) -> None:
        """At the start of the decision's turn, before it takes back or shares anything: a lapsed
        grant of a request withdrawn meanwhile shared its ids, then took them back (round 26, G6).
        What a killed grant left noted is read again here: an owner's load, share or grant that took
        its turn since the claim settled some of it, and taking back the claim's copy undid the
        owner's later record (attack round 45b, 2)."""
        with self.requests._locked() as table:
            self.cut_off = _Noted.of(self._still_mine(table))

    def _note(self, noted: _Noted) -> None:
        """Note what this grant shares (the cut-off ones are taken back by now), audited before
        the first write of the share, whatever becomes of it; noted only while the request is still
        this decision's (a withdrawal between the turn's check and here kept a granting list)."""
        with self.requests._locked() as table:
            noted.keep_on(self._still_mine(table))
            _release(table, self.request)
        if self.audit is not None:
            also = sorted(set(noted.nodes + [t["id"] for t in noted.ties + noted.levels]) - set(noted.opened))
            self.audit.record(self.principal, "accessRequest.granting", {
                "request": self.request.id, "owner": self.request.owner,
                "requesterAgency": self.request.requester_agency, "ids": noted.opened, "also": also},
                len(noted.opened) + len(also), kind="access", request_id=self.audit_request_id)

    def _decided(self, status: str, note: str | None, shared: list[str],
                 ties: list[dict[str, str]] | None = None,
                 against: dict[str, list[str]] | None = None) -> AccessRequest:
        with self.requests._locked() as table:
            request = self._still_mine(table)
            request.claim = request.claim_until = None
            _Noted([]).keep_on(request)
            request.status = status
            request.decided_by = self.principal.subject
            request.decided_at = utc_now("milliseconds")
            request.note = (note or "").strip()[:MAX_REASON] or None
            request.shared = shared
            request.shared_ties = ties or []
            request.shared_against = against or {}
        if self.audit is not None:
            self.audit.record(self.principal, "accessRequest.decide",
                              {"request": request.id, "owner": request.owner,
                               "requesterAgency": request.requester_agency, "grant": status == "granted",
                               "note": note, "shared": shared}, len(shared), kind="access",
                              request_id=self.audit_request_id)
        return request

    async def refuse(self, note: str | None) -> AccessRequest:
        if not self.cut_off:  # as claimed: only a grant of this request, claimed by this decision, notes
            return self._decided("refused", note, [])
        try:
            async with exclusively(self.store) as store:
                self._check_still_mine()
                await self._take_back_cut_off(store)
                return self._decided("refused", note, [])
        except BaseException:
            self._give_back(noted=None)  # still noted: the next decision takes them back
            raise

    async def grant(self, chosen: Sequence[str] | GivenIds, wanted: list[str], note: str | None) -> AccessRequest:
        """Grant in one turn of the write lease (:func:`graphapi.security.turns.in_turn`): cut off while
        it waits for its turn, dropped and the claim given back; cut off in it, run to its end."""
        began = asyncio.Event()
        try:
            return await in_turn(self.store, lambda store: self._grant_in_turn(store, chosen, wanted, note), began)
        except BaseException:
            if not began.is_set():  # cut off or failed waiting for its turn: nothing written
                self._give_back(noted=None)
            raise

    async def _grant_in_turn(self, store: GraphStore, chosen: Sequence[str] | GivenIds, wanted: list[str],
                             note: str | None) -> AccessRequest:
        noted: _Noted | None = None
        try:
            self._check_still_mine()
            await self._take_back_cut_off(store)
            requester = self.request.requester_agency
            seen = await get_nodes(store, Principal("access-request", agency=requester), wanted)
            owner, request_id = self.request.owner, self.request.id
            table = self.requests.all()  # the access file parsed once for the turn's notes
            others = levels_noted(table, owner, request_id)  # what other killed grants relaxed
            killed = killed_notes(table, requester, request_id)
            covered = await covered_ties(store, owner, wanted, requester, killed, others)  # held (45b, 1; 46b, 1)
            nodes, ties, levels = await also_shared(store, owner, wanted, requester, others, covered)
            noted = _Noted([i for i in wanted if i not in seen], nodes, ties, levels)
            self._note(noted)

            def hand_over(_agencies: list[str], shared: list[str], rels: list[str]) -> None:
                held = [t["id"] for t in covered if {t["start"], t["end"]} & set(shared)]
                hand_over_levels(self.requests, owner, request_id, [*shared, *rels, *held])  # round 42a, 1

            result = await share(store, self.principal, chosen, self.requester, tlp="AMBER", audit=self.audit,
                                 noted=hand_over)
            shared = set(result.nodes)  # the share's relationships are from the ids it shared only
            return self._decided("granted", note, result.nodes,
                                 [{k: t[k] for k in ("id", "start", "end", "against")} for t in covered
                                  if {t["start"], t["end"]} & shared],
                                 # each id held against the killed grants noting it now (round 47, 1)
                                 {i: sorted(killed.places[i]) for i in result.nodes if i in killed.places})
        except BaseException:
            await self._take_back(store, noted)
            raise

    async def _take_back(self, store: GraphStore, noted: _Noted | None) -> None:
        """After a grant that failed in its turn: take back what it opened (no one else shared
        meanwhile: the turn is still this grant's), then give the claim back. If that fails too
        the ids stay noted, for the next decision to take back."""
        if noted is None:  # failed before it noted anything (taking back the cut-off ones)
            self._give_back(noted=None)
            return
        try:
            await self._unshare(store, noted, "failed grant")
        except Exception:
            log.exception("access request %s: a grant that failed could not be taken back", self.request.id)
            self._give_back(noted=noted)
            return
        self._give_back(noted=_Noted([]))


async def decide(
    store: GraphStore,
    requests: AccessRequestStore,
    principal: Principal,
    request_id: str,
    grant: bool,
    note: str | None = None,
    ids: Sequence[str] | GivenIds | None = None,
    audit: AuditSink | None = None,
    *,
    audit_request_id: str | None = None,
) -> AccessRequest:
    """Grant or refuse a pending request filed with the principal's agency.

    On grant, ``ids`` (default: the ids asked for) are shared with the requester's agency and
    opened up to AMBER (:func:`graphapi.security.share.share`), with the agency's relationships
    among them and from them to nodes the requester already sees; only ids the agency owns are
    shared, and ``shared`` records which. Raises NotFound (no such request for this agency),
    Forbidden (not a supervisor or admin of the owner agency) and InvalidArgument (not pending,
    being decided, or a grant with no ids).
    """
    agency = require_agency(principal)
    current = requests.get(request_id)
    if current is None or not visible_to(current, agency):
        raise NotFound(f"no access request {request_id!r}")
    if current.owner != agency:
        raise Forbidden("only the owner agency decides on a request")
    require_role(principal, *DECIDE_ROLES)
    chosen = ids if ids is not None else current.ids
    if grant and not (chosen.given if isinstance(chosen, GivenIds) else chosen):
        raise InvalidArgument("name the ids to share (the request was for a search text)")
    claim, claimed = claim_request(requests, request_id)
    decision = _Decision(store, requests, principal, current, claim, _Noted.of(claimed), audit, audit_request_id)
    if not grant:
        return await decision.refuse(note)
    return await decision.grant(chosen, lookup_ids(chosen), note)
