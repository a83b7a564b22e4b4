"""Auditors read the audit trail (issue 4: "Auditors read the trail through GraphQL").

:func:`read_trail` serves pages of entries, newest last, to principals holding ``auditor`` or
``admin``. Scope: an ``admin`` sees every entry; an ``auditor`` sees the entries of principals of
their own agency, plus the entries about their agency's data made by others: restricted hits
naming it and access requests filed with it (so an owner sees who hit its data). Reading the
trail is itself audited (kind ``audit``). The log is scanned from the start (fine for millions of
short lines; a time-partitioned log would be the next step).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphapi.errors import InvalidArgument
from graphapi.security.audit import AuditLog, AuditSink
from graphapi.security.guards import require_role
from graphapi.security.principal import Principal

AUDIT_ROLES = ("auditor", "admin")
MAX_FIRST = 500


@dataclass(frozen=True)
class AuditPage:
    """Entries in log order; ``end_cursor`` is the last entry's ``seq`` (pass as ``after``)."""

    entries: list[dict[str, Any]]
    has_next: bool
    end_cursor: int | None


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
    first: int = 100,
    after: int | None = None,
    audit: AuditSink | None = None,
) -> AuditPage:
    """A page of entries matching every filter given: ``since``/``until`` are ISO 8601 UTC bounds
    on ``at`` (inclusive, compared as text), ``first`` 1..500, ``after`` a ``seq`` cursor.

    Raises Forbidden (no auditor/admin role) and InvalidArgument.
    """
    require_role(principal, *AUDIT_ROLES)
    if not 1 <= first <= MAX_FIRST:
        raise InvalidArgument(f"first must be between 1 and {MAX_FIRST}, got {first}")
    out: list[dict[str, Any]] = []
    has_next = False
    for entry in log.entries():
        if after is not None and entry["seq"] <= after:
            continue
        if not in_scope(entry, principal):
            continue
        if subject is not None and entry.get("subject") != subject:
            continue
        if agency is not None and entry.get("agency") != agency:
            continue
        if kind is not None and entry.get("kind") != kind:
            continue
        if operation is not None and entry.get("operation") != operation:
            continue
        at = entry.get("at") or ""
        if (since is not None and at < since) or (until is not None and at > until):
            continue
        if len(out) == first:
            has_next = True
            break
        out.append(entry)
    if audit is not None:
        audit.record(
            principal, "auditTrail",
            {"subject": subject, "agency": agency, "kind": kind, "operation": operation, "since": since,
             "until": until, "first": first, "after": after},
            len(out), kind="audit",
        )
    return AuditPage(out, has_next, out[-1]["seq"] if out else None)
