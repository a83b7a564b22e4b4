"""Auditors read the audit trail (issue 4: "Auditors read the trail through GraphQL").

:func:`read_trail` serves pages of entries, newest last, to principals holding ``auditor`` or
``admin``. Scope: an ``admin`` sees every entry; an ``auditor`` sees the entries of principals of
their own agency, plus the entries about their agency's data made by others: restricted hits
naming it and access requests filed with it (so an owner sees who hit its data). Reading the
trail is itself audited (kind ``audit``). The log is scanned from the start (fine for millions of
short lines; a time-partitioned log would be the next step).

What an entry shows is filtered by what the reader's agency may see (:func:`mask_hidden`): every
id of a node or relationship the agency may not see (TLP, decided in Cypher:
``security/lookup/restricted_by_ids`` for nodes, ``security/audit/hidden_relationships``) reads
``<hidden>``, wherever it stands in the entry: id lists, arguments, query text, messages. So an
auditor who may read another agency's entries does not learn a third agency's hidden ids from
them. Who did what is never masked (``subject``, ``agency``, ``kind``, ``operation``,
``outcome``; arguments naming agencies, TLP levels or states, the server's request and job ids),
and a word of free text only if it holds more than letters: an agency that named hidden items
``KH-NP`` or ``ok`` blanked itself out of the owners' trail (attack round 19, A1). For an auditor
without ``victim-data``, the id of a victim (or of a phone or account a victim uses) and of a
relationship touching one reads as its ``vid:`` token, as everywhere else (:func:`victim_tokens`);
an entity's Relay id reads as the id inside it does. How ids are found in text, compared as the
API reads them (trimmed, NFC): :mod:`graphapi.security.id_text`; an id holding blanks
inside free text, and names or values (not ids) of hidden items, are not masked. Entries
of the reader's own agency by a principal who saw no more than the reader (no ``victim-data``
unless the reader has it) are shown as typed: their ids are guesses the reader's agency made, and
masking them would confirm which guesses exist. Admins' pages
are masked too (by their own agency); the operator's ``lintas audit tail`` shows the raw log.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from graphapi.errors import Unavailable
from graphapi.investigate.paging import AUDIT_DEFAULT_PAGE, page_request
from graphapi.ontology import load_model
from graphapi.ontology.ids import relay_inner_id
from graphapi.security.audit import AuditLog, AuditSink
from graphapi.security.guards import require_role
from graphapi.security.id_text import candidates_in, id_key, mask_text, mask_value, strings_in
from graphapi.security.principal import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.security.victim_lookup import shown_node_ids, shown_relationship_ids
from graphapi.store import GraphStore

AUDIT_ROLES = ("auditor", "admin")
MAX_FIRST = 500
#: Entries a page holds when neither ``first`` nor ``last`` is given.
DEFAULT_FIRST = AUDIT_DEFAULT_PAGE
#: What a hidden id reads in an entry shown to an auditor.
HIDDEN = "<hidden>"
#: Ids per visibility statement (UNWIND batches).
ID_BATCH = 5_000
#: Longer strings are not looked up as ids (a query text is not one; ids are far shorter).
MAX_ID_LENGTH = 1_000
#: ``Model.relationship_id``: ``<type in lower case>:<20 hex>``.
_RELATIONSHIP_ID = re.compile(r"[a-z_]+:[0-9a-f]{20}")
#: Entry fields that never hold an id: the log's own, and who did what. Never masked: an agency
#: that named its hidden items after agency ids, subjects and the log's words (``KH-NP``, ``ok``,
#: ``lookup``) blanked itself out of the owners' trail (attack round 19, A1).
_NOT_IDS = frozenset({"prev", "at", "seq", "resultSize", "subject", "agency", "roles", "kind", "operation",
                      "outcome", "requestId"})
#: Arguments that hold agency ids, TLP levels, states, field names or the server's own request
#: and job ids (an item named after one blanked them: attack round 20, B3), never an item's id
#: (nor does a ``restricted`` pair's second element, its owner).
_NOT_ID_ARGUMENTS = frozenset({"agencies", "owner", "requesterAgency", "sharedWith", "tlp", "status", "fields",
                               "kind", "dryRun", "replace", "bytes", "request", "job"})  # server-made ids


@dataclass(frozen=True)
class AuditPage:
    """Entries in log order; ``end_cursor`` is the last entry's ``seq`` (pass as ``after``);
    ``has_previous``: a backward page has more before it, or a forward one started after a cursor."""

    entries: list[dict[str, Any]]
    has_next: bool
    end_cursor: int | None
    has_previous: bool = False


def _about(entry: dict[str, Any], agency: str) -> bool:
    args = entry.get("arguments") or {}
    if entry.get("kind") == "hit":
        named = list(args.get("agencies") or []) + [pair[1] for pair in args.get("restricted") or [] if len(pair) > 1]
        return agency in named
    if entry.get("kind") == "access":
        return agency in (args.get("owner"), args.get("requesterAgency"))
    return False


def in_scope(entry: dict[str, Any], principal: Principal) -> bool:
    """True if ``principal`` may read ``entry`` (see the module docstring)."""
    if principal.has_role("admin"):
        return True
    agency = principal.agency
    return agency is not None and (entry.get("agency") == agency or _about(entry, agency))


def _matches(entry: dict[str, Any], principal: Principal, subject: str | None, agency: str | None,
             kind: str | None, operation: str | None, since: str | None, until: str | None) -> bool:
    """True if ``principal`` may read ``entry`` and it passes every filter given."""
    at = entry.get("at") or ""
    return (in_scope(entry, principal)
            and (subject is None or entry.get("subject") == subject)
            and (agency is None or entry.get("agency") == agency)
            and (kind is None or entry.get("kind") == kind)
            and (operation is None or entry.get("operation") == operation)
            and (since is None or at >= since) and (until is None or at <= until))


def read_trail(
    log: AuditLog,
    principal: Principal,
    *,
    subject: str | None = None,
    agency: str | None = None,
    kind: str | None = None,
    operation: str | None = None,
    since: str | None = None,
    until: str | None = None,
    first: int | None = None,
    after: int | None = None,
    last: int | None = None,
    before: int | None = None,
    audit: AuditSink | None = None,
    request_id: str | None = None,
) -> AuditPage:
    """A page of entries matching every filter given: ``since``/``until`` are ISO 8601 UTC bounds
    on ``at`` (inclusive, compared as text), ``first`` 1..500 (100 if neither it nor ``last`` is
    given) entries after the ``seq`` cursor ``after``, or the ``last`` ones before ``before``
    (still in log order).

    Raises Forbidden (no auditor/admin role) and InvalidArgument.
    """
    require_role(principal, *AUDIT_ROLES)
    request = page_request(first, after, last, before, MAX_FIRST, default=DEFAULT_FIRST)
    size, cursor = request.size, request.cursor
    out: list[dict[str, Any]] = []
    more = False
    for entry in log.entries():
        if request.backward and cursor is not None and entry["seq"] >= cursor:
            break  # the log is in seq order
        if not request.backward and cursor is not None and entry["seq"] <= cursor:
            continue
        if not _matches(entry, principal, subject, agency, kind, operation, since, until):
            continue
        if request.backward:  # the last `size` before the cursor, and whether any came before them
            out.append(entry)
            if len(out) > size:
                out.pop(0)
                more = True
            continue
        if len(out) == size:
            more = True
            break
        out.append(entry)
    if audit is not None:
        audit.record(
            principal, "auditTrail",
            {"subject": subject, "agency": agency, "kind": kind, "operation": operation, "since": since,
             "until": until, "first": first, "after": after, "last": last, "before": before},
            len(out), kind="audit", request_id=request_id,
        )
    # past the cursor there is at least the entry the cursor was read from
    return AuditPage(out, cursor is not None if request.backward else more, out[-1]["seq"] if out else None,
                     more if request.backward else cursor is not None)


def count_trail(log: AuditLog, principal: Principal, *, subject: str | None = None, agency: str | None = None,
                kind: str | None = None, operation: str | None = None, since: str | None = None,
                until: str | None = None) -> int:
    """How many entries :func:`read_trail` pages through with these filters: one scan of the log,
    made only when a reader asks for the count (``totalCount``)."""
    require_role(principal, *AUDIT_ROLES)
    return sum(1 for e in log.entries() if _matches(e, principal, subject, agency, kind, operation, since, until))


async def hidden_ids(store: GraphStore, principal: Principal, candidates: set[str]) -> set[str]:
    """Which ``candidates`` are ids of stored nodes or relationships hidden from ``principal``'s
    agency (the TLP rule, in Cypher)."""
    hidden: set[str] = set()
    ids = sorted(c for c in candidates if len(c) <= MAX_ID_LENGTH)
    for start in range(0, len(ids), ID_BATCH):
        rows = await store.read("security/lookup/restricted_by_ids",
                                {"ids": ids[start:start + ID_BATCH], **principal.cypher_params()})
        hidden.update(str(r["id"]) for r in rows)
    for rel_type, relationships in _relationship_ids_by_type(ids).items():
        for start in range(0, len(relationships), ID_BATCH):
            rows = await store.read("security/audit/hidden_relationships",
                                    {"ids": relationships[start:start + ID_BATCH], **principal.cypher_params()},
                                    type=rel_type)
            hidden.update(str(r["id"]) for r in rows)
    return hidden


def _relationship_ids_by_type(ids: list[str]) -> dict[str, list[str]]:
    """The ``ids`` shaped like a relationship id, by the type their prefix names (its index on id
    finds them; a prefix naming no type names no relationship)."""
    types = {name.lower(): name for name in load_model().relationships}
    out: dict[str, list[str]] = {}
    for i in ids:
        if _RELATIONSHIP_ID.fullmatch(i) and (rel_type := types.get(i.split(":", 1)[0])):
            out.setdefault(rel_type, []).append(i)
    return out


def _maskable(entry: dict[str, Any]) -> Iterator[tuple[dict | list, Any]]:
    """``(container, key)`` of each part of ``entry`` that may hold an id: everything but
    :data:`_NOT_IDS`, the arguments of :data:`_NOT_ID_ARGUMENTS` and the owners of
    ``restricted`` pairs."""
    for key in entry:
        if key not in _NOT_IDS:
            if key == "arguments" and isinstance(entry[key], dict):
                yield from _maskable_arguments(entry[key])
            else:
                yield entry, key


def _maskable_arguments(args: dict[str, Any]) -> Iterator[tuple[dict | list, Any]]:
    for key, value in args.items():
        if key in _NOT_ID_ARGUMENTS:
            continue
        if key == "restricted" and isinstance(value, list):
            yield from ((pair, 0) for pair in value if isinstance(pair, list) and pair)
        else:
            yield args, key


def _mask_entry(entry: dict[str, Any], shown: dict[str, str]) -> dict[str, Any]:
    """A copy of ``entry`` with its maskable parts (:func:`_maskable`) masked."""
    copy = json.loads(json.dumps(entry))
    for container, key in list(_maskable(copy)):
        container[key] = mask_value(container[key], shown)
    return copy


async def victim_tokens(store: GraphStore, principal: Principal, candidates: set[str]) -> dict[str, str]:
    """``{id: vid: token}`` for the ``candidates`` that are ids of entities protected for a reader
    without ``victim-data`` (victims, their phones and accounts: ``security/protected_ids``), or of
    relationships touching one (``security/audit/relationship_ends``); empty for a holder of the
    role."""
    if may_see_victims(principal):
        return {}
    ids = sorted(c for c in candidates if len(c) <= MAX_ID_LENGTH)
    out: dict[str, str] = {}
    for start in range(0, len(ids), ID_BATCH):
        out.update(await shown_node_ids(store, principal, ids[start:start + ID_BATCH]))
    for rel_type, relationships in _relationship_ids_by_type(ids).items():
        for start in range(0, len(relationships), ID_BATCH):
            rows = await store.read("security/audit/relationship_ends",
                                    {"ids": relationships[start:start + ID_BATCH], **principal.cypher_params()},
                                    type=rel_type)
            out.update(await shown_relationship_ids(store, principal,
                                                    [(r["id"], r["start"], r["end"]) for r in rows]))
    return {i: token for i, token in out.items() if token != i}


def _typed_blind(entry: dict[str, Any], principal: Principal) -> bool:
    """True for an entry whose subject saw no more than ``principal`` does: a principal of the
    reader's agency (the same TLP audience), without ``victim-data`` unless the reader holds it.
    Its ids are what the subject typed, not what the graph showed, so it is shown as typed:
    masking a guess there (``<hidden>``, a ``vid:`` token) would tell the reader that the guessed
    id exists (attack 3, F1: an auditor guessed a victim's phone, then read its own entry)."""
    if entry.get("agency") != principal.agency:
        return False
    return may_see_victims(principal) or "victim-data" not in (entry.get("roles") or ())


async def mask_hidden(store: GraphStore | None, principal: Principal,
                      entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``entries`` with every id hidden from ``principal``'s agency replaced by ``<hidden>`` (see
    the module docstring). Raises Unavailable without a store: nothing is shown unfiltered."""
    if not entries:
        return entries
    if store is None:
        raise Unavailable("the graph store is unavailable; try again shortly")
    masked = [e for e in entries if not _typed_blind(e, principal)]
    candidates: set[str] = set()
    for entry in masked:
        for container, key in _maskable(entry):
            for text in strings_in(container[key]):
                candidates |= candidates_in(text)
    keys = {id_key(c) for c in candidates} - {""}  # as the API read them: the lookups' own form
    shown = await _shown_ids(store, principal, keys)
    if not shown:
        return entries
    return [e if _typed_blind(e, principal) else _mask_entry(e, shown) for e in entries]


async def mask_texts(store: GraphStore, principal: Principal, texts: list[str],
                     kept: frozenset[str] = frozenset()) -> list[str]:
    """``texts`` (free text another agency wrote: an access request's reason, a decision's note)
    with the ids hidden from ``principal``'s agency masked as in an audit entry, so a supervisor
    reads what its auditor reads (attack round 19, A4: a requester's reason naming a third
    agency's hidden id read in clear to the owner's supervisor, masked to its auditor). ``kept``:
    words the reader knows for what they are (the ids of its access requests), never masked: an
    item a third agency named after one blanked it (attack round 21, C4)."""
    candidates = {id_key(c) for text in texts for c in candidates_in(text)} - {""} - kept
    if not candidates:
        return texts
    shown = await _shown_ids(store, principal, candidates)
    return [mask_text(text, shown) for text in texts] if shown else texts


async def _shown_ids(store: GraphStore, principal: Principal, keys: set[str]) -> dict[str, str]:
    """``{candidate: what it reads as}`` for the ``keys`` that are hidden ids (``<hidden>``) or
    victims' ids (their token), and for the entities' Relay ids among them, read by the id
    inside: the API takes a Relay id for its entity, and one passed in clear what its Lintas id
    would not have (attack round 20, B2)."""
    relays = {k: inner for k in keys if (inner := relay_inner_id(k)) is not None}
    ids = keys | set(relays.values())
    shown = dict.fromkeys(await hidden_ids(store, principal, ids), HIDDEN)
    shown.update(await victim_tokens(store, principal, ids - set(shown)))
    for relay, inner in relays.items():
        if inner in shown:
            label = base64.b64decode(relay).decode("utf-8").partition(":")[0]
            shown[relay] = HIDDEN if shown[inner] == HIDDEN else base64.b64encode(
                f"{label}:{shown[inner]}".encode()).decode()
    return shown


async def read_visible_trail(store: GraphStore | None, log: AuditLog, principal: Principal,
                             **filters: Any) -> AuditPage:
    """:func:`read_trail` with each entry filtered by :func:`mask_hidden`: what auditors read."""
    page = read_trail(log, principal, **filters)
    return replace(page, entries=await mask_hidden(store, principal, page.entries))
