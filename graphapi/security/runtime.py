"""The security objects one API process shares: authenticator, audit log, access-request store,
``restrictedHits`` budget.

Built once from the settings (:func:`security_runtime`); the app factory puts them on each
request's context, and resolvers fall back to the process-wide one when a context lacks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graphapi.security.access import AccessRequestStore
from graphapi.security.audit import AuditLog
from graphapi.security.audit_anchor import anchors_from_settings
from graphapi.security.auth import Authenticator
from graphapi.security.hits import HitBudget, hourly_budget
from graphapi.settings import Settings, get_settings


def audit_path(settings: Settings) -> Path:
    """Where the audit log lives: ``LINTAS_AUDIT_FILE`` or ``<data_dir>/audit.jsonl``."""
    return settings.audit_file or Path(settings.data_dir) / "audit.jsonl"


def audit_log(settings: Settings) -> AuditLog:
    """The audit log of ``settings``, with the external anchors they configure."""
    path = audit_path(settings)
    return AuditLog(path, anchor=anchors_from_settings(settings, path.name))


def access_path(settings: Settings) -> Path:
    """Where access requests live: ``LINTAS_ACCESS_FILE`` or ``<data_dir>/access.json``."""
    return settings.access_file or Path(settings.data_dir) / "access.json"


@dataclass(frozen=True)
class SecurityRuntime:
    """What the security layer needs at run time, for one set of settings."""

    settings: Settings
    authenticator: Authenticator
    audit: AuditLog
    access_requests: AccessRequestStore
    hit_budget: HitBudget
    lookup_budget: HitBudget

    @classmethod
    def from_settings(cls, settings: Settings) -> SecurityRuntime:
        """Build the runtime (reads the JWKS file, if any; opens nothing else yet)."""
        return cls(
            settings=settings,
            authenticator=Authenticator(settings),
            audit=audit_log(settings),
            access_requests=AccessRequestStore(access_path(settings)),
            hit_budget=hourly_budget(settings.hit_limit_per_hour),
            lookup_budget=hourly_budget(settings.lookup_limit_per_hour, name="lookups"),
        )


@cache
def security_runtime() -> SecurityRuntime:
    """The process-wide runtime for :func:`graphapi.settings.get_settings`."""
    return SecurityRuntime.from_settings(get_settings())
