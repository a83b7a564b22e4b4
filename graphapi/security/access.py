"""Access requests after a restricted hit (Prüm model): the requester files, the owner grants or refuses.

Requests live in a small JSON file of their own (``LINTAS_ACCESS_FILE``, default
``<data_dir>/access.json``), not in the graph: they are not entities, and keeping them out of
the graph keeps them out of every search, expansion and count. The file is rewritten atomically
under an exclusive ``flock`` (safe for several API workers on one machine).

Steps, each audited (kind ``access``):

- :func:`file_request`: a principal of agency R asks owner agency O for the ids it looked up
  (or, after a search hit, for what matches ``text``), with a reason. Only ids that exist, are
  hidden from R and are owned by O are accepted (decided in Cypher by
  :func:`graphapi.security.hits.lookup`, whose budget they take): anything else refuses the whole
  request with one error naming no id, so O never reads a third agency's ids and the request is
  no oracle beyond hit / no-hit. Sizes are bounded and a principal has at most
  :data:`MAX_PENDING` pending requests (the file is read and rewritten whole on every step);
- :func:`graphapi.security.access_decide.decide`: a supervisor or admin of O grants (the ids are
  shared with R through
  :func:`graphapi.security.share.share`, opened up to AMBER, with O's relationships among them
  and from them to nodes R already sees: a granted person shows its crossings to a public
  checkpoint, never its links to O's other hidden nodes or a third agency's) or refuses, with a note;
- :func:`withdraw`: the requester's agency withdraws a pending request;
- :func:`list_requests`: each agency sees the requests it filed and those filed with it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graphapi.errors import InvalidArgument, NotFound
from graphapi.ingest.options import AGENCY_ID
from graphapi.ingest.write_lease import WAIT_S
from graphapi.investigate.args import check_ids
from graphapi.private_files import replace_private
from graphapi.security.access_index import drop_index, index_of, read_index, rewrite_index
from graphapi.security.access_notes import note_shared as note_shared  # what a share takes out of the notes
from graphapi.security.audit import AuditSink
from graphapi.security.filelock import locked
from graphapi.security.guards import require_agency
from graphapi.security.hits import HitBudget, lookup
from graphapi.security.principal import Principal
from graphapi.security.timeutil import utc_now
from graphapi.security.victim_lookup import GivenIds
from graphapi.store import GraphStore

log = logging.getLogger(__name__)

STATUSES = ("pending", "granted", "refused", "withdrawn")
#: Roles that decide on requests filed with their agency.
DECIDE_ROLES = ("supervisor", "admin")
MAX_REASON = 2_000
#: A request's search text at most, characters.
MAX_TEXT = 2_000
#: Ids one request asks for at most.
MAX_IDS = 100
#: Pending requests one principal may have filed at once.
MAX_PENDING = 20
#: Withdrawn requests the file keeps per principal (requester and agency), the newest: filing and
#: withdrawing is free, and the file grew without bound, every load's turn reading it (attack round
#: 43b, 4). Each filing and withdrawal stays in the audit trail (``accessRequest.file``, ``.withdraw``).
MAX_WITHDRAWN = 100
#: How long a decision's claim lasts if its process dies: past a share's longest wait for the
#: write lease (graphapi.ingest.write_lease.WAIT_S), with room for the share itself.
CLAIM_S = WAIT_S + 120.0
#: The one refusal of ids that are not all hidden from the requester and owned by ``owner``.
IDS_REFUSED = "ids: ask only for ids that restrictedLookup answered as held by owner"


@dataclass
class AccessRequest:
    """One request: who asked (``requester``, ``requester_agency``), whom (``owner``), for what
    (``ids`` and/or search ``text``), why, and the decision."""

    id: str
    requester: str
    requester_agency: str
    owner: str
    reason: str
    ids: list[str] = field(default_factory=list)
    text: str | None = None
    status: str = "pending"
    created: str = ""
    decided_by: str | None = None
    decided_at: str | None = None
    note: str | None = None
    shared: list[str] = field(default_factory=list)
    #: ``ids`` as the requester typed them (a ``vid:`` token stays one when the list is shown).
    given: list[str] = field(default_factory=list)
    #: A decision under way (:mod:`graphapi.security.access_decide`): its random token, and when
    #: its claim lapses (ISO 8601 UTC) if the deciding process died; no other decision or
    #: withdrawal meanwhile.
    claim: str | None = None
    claim_until: str | None = None
    #: The ids a grant under way opens to the requester, noted in its turn of the write lease
    #: before it shares them (kept if it was killed part way, until a decision takes them back or
    #: completes the share: attack rounds 20 B1, 21 C1).
    granting: list[str] = field(default_factory=list)
    #: What else that grant's share gives the requester, noted with ``granting`` and taken back
    #: with it (:mod:`graphapi.security.grant_shares`): the granted nodes it saw already, and the
    #: owner's relationships (rows id, type, start, end), none shared with it before (round 39a, 4).
    granting_nodes: list[str] = field(default_factory=list)
    granting_ties: list[dict[str, str]] = field(default_factory=list)
    #: The level before that grant of each item its share relaxed to AMBER (rows id, tlp; a
    #: relationship's with type, start, end), put back by the take-back (round 41a, 1).
    granting_levels: list[dict[str, str]] = field(default_factory=list)
    #: The owner's relationships a grant's share gave the requester, on them before or not (rows id,
    #: start, end): with ``shared``, what a killed grant's take-back and entry removal leave, as this
    #: request's too (:func:`graphapi.security.grant_shares.covered_ties`; round 45b, 1), each
    #: against the killed requests named in its ``against`` (round 46b, 2). None: granted before
    #: this list, holding the owner's ties among its ``shared`` ids (round 46b, 5), or not granted.
    shared_ties: list[dict] | None = None


class AccessRequestStore:
    """The request file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _locked(self) -> Iterator[dict[str, AccessRequest]]:
        with locked(self.path):
            requests = self._load()
            before = json.dumps({k: asdict(v) for k, v in requests.items()}, sort_keys=True)
            yield requests
            after = json.dumps({k: asdict(v) for k, v in requests.items()}, sort_keys=True)
            if after != before:  # the index: dropped before the file, written after it (access_index)
                drop_index(self.path)
                replace_private(self.path, after, durable=True)
                rewrite_index(self.path, index_of(requests.values()))  # a failure logged: the change is made

    def _load(self) -> dict[str, AccessRequest]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except FileNotFoundError:
            return {}
        return {k: AccessRequest(**v) for k, v in raw.items()}

    def all(self) -> list[AccessRequest]:
        """Every request, oldest first."""
        return sorted(self._load().values(), key=lambda r: (r.created, r.id))

    def get(self, request_id: str) -> AccessRequest | None:
        """The request with this id, or None."""
        return self._load().get(request_id)


def visible_to(request: AccessRequest, agency: str) -> bool:
    return agency in (request.requester_agency, request.owner)


def _check_undecided(request: AccessRequest) -> None:
    """InvalidArgument unless ``request`` is pending and no decision on it is under way."""
    if request.status != "pending":
        raise InvalidArgument(f"request {request.id} is already {request.status}")
    if request.claim is not None and (request.claim_until or "") > utc_now("milliseconds"):
        raise InvalidArgument(f"request {request.id} is being decided; try again shortly")


def claim_request(requests: AccessRequestStore, request_id: str) -> tuple[str, AccessRequest]:
    """Claim the pending ``request_id`` for a decision (see :attr:`AccessRequest.claim`); returns
    the claim's token and the request as claimed: what an earlier grant cut off part way noted
    (``granting``...), the decision takes back first. InvalidArgument if it is decided or being decided."""
    token = secrets.token_hex(8)
    with requests._locked() as table:
        request = table[request_id]
        _check_undecided(request)
        request.claim, request.claim_until = token, utc_now("milliseconds", plus_s=CLAIM_S)
    return token, request


def lookup_ids(chosen: Sequence[str] | GivenIds) -> list[str]:
    """The ids a grant shares, as the store knows them (victims' tokens decrypted; an id typed in
    clear that must answer as unknown left out)."""
    if isinstance(chosen, GivenIds):
        return [lk for _, lk in chosen.pairs() if lk is not None]
    return list(chosen)


async def file_request(
    store: GraphStore,
    requests: AccessRequestStore,
    principal: Principal,
    owner: str,
    reason: str,
    ids: Sequence[str] | GivenIds = (),
    text: str | None = None,
    audit: AuditSink | None = None,
    budget: HitBudget | None = None,
    *,
    request_id: str | None = None,
) -> AccessRequest:
    """File a pending request with agency ``owner`` for ``ids`` (canonical ids, from an id
    lookup) or ``text`` (from a search hit). The ids must all exist, be hidden from the principal
    and be owned by ``owner`` (:data:`IDS_REFUSED` otherwise); they take ``budget`` as a
    ``restrictedLookup`` does. Raises Forbidden (no agency), InvalidArgument (a bad owner, reason,
    text or ids, nothing asked, asking one's own agency, too many pending) and HitBudgetExceeded."""
    agency = require_agency(principal)
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidArgument(f"reason must be 1..{MAX_REASON} characters")
    if not AGENCY_ID.fullmatch(owner or ""):
        raise InvalidArgument("owner must be an agency id (1-64 of A-Z a-z 0-9 . _ : -, starting with a letter "
                              "or digit)")
    if owner == agency:
        raise InvalidArgument("owner must be another agency")
    # (as given, to look up): a token's id is looked up, a victim's id typed in clear answers as unknown
    pairs = zip(ids.given, ids.lookup, strict=True) if isinstance(ids, GivenIds) else ((i, i) for i in ids)
    typed: dict[str, str] = {}
    for g, lk in pairs:
        if g:
            typed.setdefault(g, lk)
    if len(typed) > MAX_IDS:
        raise InvalidArgument(f"ids may hold at most {MAX_IDS} ids, got {len(typed)}")
    check_ids("ids", list(typed))
    ids = list(typed.values())
    text = (text or "").strip() or None
    if text is not None and len(text) > MAX_TEXT:
        raise InvalidArgument(f"text must be at most {MAX_TEXT} characters")
    if not ids and text is None:
        raise InvalidArgument("ask for ids or for a search text")
    if ids:
        found = await lookup(store, principal, ids, audit=audit, budget=budget, request_id=request_id)
        held = {h.id for h in found.restricted if h.agency == owner}
        if found.found or held != set(ids):  # one answer whatever the reason: no oracle
            raise InvalidArgument(IDS_REFUSED)
    request = AccessRequest(
        id=secrets.token_hex(8), requester=principal.subject, requester_agency=agency, owner=owner,
        reason=reason, ids=ids, text=text, created=utc_now("milliseconds"), given=list(typed),
    )
    # the file is read and rewritten under a lock: off the event loop
    await asyncio.to_thread(_add, requests, request)
    if audit is not None:
        audit.record(principal, "accessRequest.file", {"request": request.id, "owner": owner, "ids": list(typed),
                                                       "text": text, "reason": reason}, 1, kind="access",
                     request_id=request_id)
    return request


def _add(requests: AccessRequestStore, request: AccessRequest) -> None:
    with requests._locked() as table:
        pending = sum(1 for r in table.values() if r.status == "pending" and r.requester == request.requester
                      and r.requester_agency == request.requester_agency)
        if pending >= MAX_PENDING:
            raise InvalidArgument(f"at most {MAX_PENDING} pending access requests each; withdraw one or wait "
                                  "for a decision")
        table[request.id] = request


def list_requests(
    requests: AccessRequestStore, principal: Principal, status: str | None = None, audit: AuditSink | None = None,
    *, request_id: str | None = None,
) -> list[AccessRequest]:
    """The requests filed by or with the principal's agency, oldest first (``status`` filters)."""
    agency = require_agency(principal)
    if status is not None and status not in STATUSES:
        raise InvalidArgument(f"status must be one of {list(STATUSES)}")
    out = [r for r in requests.all() if visible_to(r, agency) and (status is None or r.status == status)]
    if audit is not None:
        audit.record(principal, "accessRequest.list", {"status": status}, len(out), kind="access",
                     request_id=request_id)
    return out


def withdraw(
    requests: AccessRequestStore, principal: Principal, request_id: str, audit: AuditSink | None = None,
    *, audit_request_id: str | None = None,
) -> AccessRequest:
    """Withdraw a pending request filed by the principal's agency. NotFound / InvalidArgument."""
    agency = require_agency(principal)
    with requests._locked() as table:
        request = table.get(request_id)
        if request is None or request.requester_agency != agency:
            raise NotFound(f"no access request {request_id!r}")
        _check_undecided(request)
        if request.granting or request.granting_nodes or request.granting_ties or request.granting_levels:
            raise InvalidArgument(f"request {request_id}: a grant of it was cut off part way; the owner decides it "
                                  "again (a grant completes the share, a refusal takes it back)")
        request.status = "withdrawn"
        request.claim = request.claim_until = None  # a lapsed grant's, which must not decide it now
        request.decided_by = principal.subject
        request.decided_at = utc_now("milliseconds")
        _forget_withdrawn(table, request)
    if audit is not None:
        audit_withdrawal(audit, principal, request, audit_request_id)
    return request


def audit_withdrawal(audit: AuditSink, principal: Principal, request: AccessRequest,
                     audit_request_id: str | None) -> None:
    """Audit ``principal``'s withdrawal of ``request`` (kind ``access``)."""
    audit.record(principal, "accessRequest.withdraw",
                 {"request": request.id, "owner": request.owner, "requesterAgency": request.requester_agency},
                 1, kind="access", request_id=audit_request_id)


def _forget_withdrawn(table: dict[str, AccessRequest], request: AccessRequest) -> None:
    """Drop the oldest withdrawn requests of ``request``'s principal beyond :data:`MAX_WITHDRAWN`."""
    mine = sorted((r for r in table.values() if r.status == "withdrawn" and r.requester == request.requester
                   and r.requester_agency == request.requester_agency),
                  key=lambda r: (r.decided_at or "", r.created, r.id))
    for old in mine[:-MAX_WITHDRAWN]:
        del table[old.id]


def note_unshared(requests: AccessRequestStore, owner: str, agencies: Sequence[str], ids: Sequence[str]) -> None:
    """Take ``ids``, which ``owner`` has just unshared from ``agencies``, out of what its granted
    requests from those agencies list as ``shared`` (and the relationships touching them, which the
    unshare withdrew, out of ``shared_ties``): the list says what a grant shares still, and
    taking back a killed grant kept ids a granted request listed though they were unshared since
    (attack round 24, D3). Called in the unshare's turn of the write lease with ``agencies`` as
    checked (:func:`graphapi.security.share.unshare`'s ``noted``): given as typed, a padded agency
    cleaned nothing, and an unshare cut off by its time limit never got here (round 26, G3, G4).
    Locks and rewrites the file only where a granted request lists one of ``ids`` or a relationship
    touching one (the side index says: every unshare parsed the whole file, attack round 44b, 5)."""
    gone = set(ids)
    index = read_index(requests)
    if not any(gone & index.granted_places(owner, agency) for agency in agencies):
        return
    with requests._locked() as table:
        for request in table.values():
            if request.status == "granted" and request.owner == owner and request.requester_agency in agencies:
                request.shared = [i for i in request.shared if i not in gone]
                # an unshare withdraws every relationship of its nodes shared with the agencies
                if request.shared_ties is not None:
                    request.shared_ties = [t for t in request.shared_ties if not {t["start"], t["end"]} & gone]
