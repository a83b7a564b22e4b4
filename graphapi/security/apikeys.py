"""API keys, stored hashed in a small JSON file (``LINTAS_APIKEY_FILE``, default ``<data_dir>/apikeys.json``).

A key reads ``lnt_<key id>_<secret>``: the key id (12 hex digits) finds the record, the secret
(32 random bytes, URL-safe base64) is checked against its SHA-256 digest in constant time. A
plain hash is enough for a 256-bit random secret (nothing to brute-force); only the digest is
stored, so a leaked file yields no usable key. Revoked keys stay in the file (who had what, when).

The file is rewritten atomically (temp file + rename) under an exclusive ``flock`` on a lock
file beside it, so several CLI runs or API workers never lose an update; readers reload it when
its modification time changes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graphapi.ingest.options import check_agency_id
from graphapi.private_files import replace_private
from graphapi.security.filelock import locked
from graphapi.security.principal import ROLES, Principal
from graphapi.security.timeutil import utc_now

PREFIX = "lnt"


class ApiKeyError(Exception):
    """An API key is malformed, unknown or revoked (the message is safe to show)."""


@dataclass
class ApiKeyRecord:
    """One stored key: ``key_id``, SHA-256 hex ``digest`` of the secret, and the principal it stands for."""

    key_id: str
    digest: str
    subject: str
    agency: str | None = None
    country: str | None = None
    roles: list[str] = field(default_factory=list)
    created: str = ""
    revoked: str | None = None  # ISO 8601 UTC instant of revocation

    def principal(self) -> Principal:
        """The principal requests with this key run as."""
        return Principal(
            subject=self.subject, agency=self.agency, country=self.country, roles=frozenset(self.roles)
        )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_key(key: str) -> tuple[str, str]:
    """``(key id, secret)`` of a key string; ApiKeyError if it is not shaped like one of ours."""
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 12 or not parts[2]:
        raise ApiKeyError("malformed API key")
    return parts[1], parts[2]


class ApiKeyStore:
    """The key file. ``create`` returns the only copy of a new key; ``verify`` maps a key to a principal."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: dict[str, ApiKeyRecord] = {}
        self._mtime: float | None = None

    def _locked(self) -> AbstractContextManager[None]:
        return locked(self.path)

    def _read(self) -> dict[str, ApiKeyRecord]:
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            self._cache, self._mtime = {}, None
            return {}
        if mtime != self._mtime:
            raw = json.loads(self.path.read_text(encoding="utf-8") or "{}")
            self._cache = {k: ApiKeyRecord(**v) for k, v in raw.get("keys", {}).items()}
            self._mtime = mtime
        return self._cache

    def _write(self, keys: dict[str, ApiKeyRecord]) -> None:
        text = json.dumps({"keys": {k: asdict(v) for k, v in keys.items()}}, indent=1, sort_keys=True)
        replace_private(self.path, text, durable=True)

    def create(
        self, subject: str, *, agency: str | None = None, country: str | None = None, roles: Iterable[str] = ()
    ) -> tuple[str, ApiKeyRecord]:
        """A new key for ``subject``: ``(key string, record)``. The key string is not stored anywhere.

        Raises ValueError for an unknown role or an agency that is not an agency id
        (``graphapi.ingest.options``: no ``:`` or ``@``).
        """
        if agency:
            check_agency_id(agency)
        roles = sorted(set(roles))
        unknown = [r for r in roles if r not in ROLES]
        if unknown:
            raise ValueError(f"unknown roles {unknown}; known: {list(ROLES)}")
        with self._locked():
            keys = dict(self._read())
            key_id = secrets.token_hex(6)
            while key_id in keys:
                key_id = secrets.token_hex(6)
            secret = secrets.token_urlsafe(32)
            rec = ApiKeyRecord(key_id, _digest(secret), subject, agency, country, roles, created=utc_now())
            keys[key_id] = rec
            self._write(keys)
        return f"{PREFIX}_{key_id}_{secret}", rec

    def revoke(self, key_id: str) -> ApiKeyRecord:
        """Mark ``key_id`` revoked (idempotent); ApiKeyError if there is no such key."""
        with self._locked():
            keys = dict(self._read())
            rec = keys.get(key_id)
            if rec is None:
                raise ApiKeyError(f"no API key with id {key_id!r}")
            if rec.revoked is None:
                rec.revoked = utc_now()
                self._write(keys)
        return rec

    def list(self) -> list[ApiKeyRecord]:
        """Every key record (digests only), oldest first."""
        return sorted(self._read().values(), key=lambda r: (r.created, r.key_id))

    def verify(self, key: str) -> Principal:
        """The principal of a valid, unrevoked key; ApiKeyError otherwise (same message for unknown
        and wrong secret)."""
        key_id, secret = parse_key(key)
        rec = self._read().get(key_id)
        digest = _digest(secret)
        if rec is None or not hmac.compare_digest(rec.digest, digest):
            raise ApiKeyError("unknown API key")
        if rec.revoked is not None:
            raise ApiKeyError("API key revoked")
        if rec.agency:
            try:  # a key made before agency ids lost ':' and '@' must not act for another agency
                check_agency_id(rec.agency)
            except ValueError:
                raise ApiKeyError("API key's agency is not an agency id; issue a new key") from None
        return rec.principal()
