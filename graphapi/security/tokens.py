"""Bearer JWTs: verify (HS256 shared secret, RS256 from a JWKS file or URL) and mint dev tokens.

Claims Lintas reads (RFC 7519 registered claims plus three private ones):

- ``sub`` (required): the user id, becomes ``Principal.subject``;
- ``aud`` (required, must equal ``LINTAS_JWT_AUDIENCE``), ``exp`` (required), ``nbf``/``iat`` if present;
- ``iss`` must equal ``LINTAS_JWT_ISSUER`` when that is set;
- ``agency`` (str), ``country`` (ISO 3166-1 alpha-2), ``roles`` (list of str, or one space-separated
  str as in OAuth ``scope``). Unknown roles are dropped: a token cannot invent one.

Algorithms are pinned per key source (HS256 for the secret, RS256 for JWKS keys), so a token
signed ``none`` or HS256-with-the-public-key is refused (the classic algorithm-confusion attack).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from graphapi.ingest.options import check_agency_id
from graphapi.security.principal import ROLES, Principal


class TokenError(Exception):
    """A bearer token is missing a claim, expired, for another audience, or badly signed."""


@dataclass(frozen=True)
class TokenConfig:
    """Where keys come from and what the claims must say (see :mod:`graphapi.settings`)."""

    audience: str = "lintas"
    secret: str | None = None
    jwks_file: Path | None = None
    jwks_url: str | None = None
    issuer: str | None = None
    leeway_s: int = 30

    @property
    def enabled(self) -> bool:
        """True if at least one key source is configured."""
        return bool(self.secret or self.jwks_file or self.jwks_url)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """The principal a verified token's claims describe; TokenError if ``sub`` is missing or the
    ``agency`` claim is not an agency id (``graphapi.ingest.options``: no ``:`` or ``@``)."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise TokenError("token has no subject (sub)")
    raw_roles = claims.get("roles") or []
    if isinstance(raw_roles, str):
        raw_roles = raw_roles.split()
    roles = frozenset(r for r in raw_roles if isinstance(r, str) and r in ROLES)
    agency = claims.get("agency")
    if agency is not None and agency != "":
        try:
            check_agency_id(agency)
        except ValueError as exc:
            raise TokenError(f"token agency {exc}") from None
    country = claims.get("country")
    return Principal(
        subject=subject,
        agency=agency if isinstance(agency, str) and agency else None,
        country=country if isinstance(country, str) and country else None,
        roles=roles,
    )


#: A verified token's principal is kept this long at most (and never past the token's ``exp`` plus
#: leeway): a client sends one token with every request, and its HS256/RS256 check was a fixed cost
#: of each (issue 14). A minute bounds how long a key taken out of a JWKS still lets its tokens in.
VERIFIED_KEEP_S = 60.0
#: Tokens kept at most; the oldest kept goes first.
VERIFIED_MAX = 1024


class TokenVerifier:
    """Verifies bearer JWTs against the configured keys. Thread-safe; JWKS URLs are cached, and so
    are tokens that verified (:data:`VERIFIED_KEEP_S`, by their SHA-256: the token itself is not
    kept), each until its expiry as the check would see it; a token that failed is checked again."""

    def __init__(self, config: TokenConfig) -> None:
        self.config = config
        self._verified: dict[bytes, tuple[Principal, float]] = {}
        self._verified_lock = threading.Lock()
        self._file_keys: dict[str, Any] = {}
        if config.jwks_file is not None:
            data = json.loads(Path(config.jwks_file).read_text(encoding="utf-8"))
            for jwk in jwt.PyJWKSet.from_dict(data).keys:
                self._file_keys[jwk.key_id or ""] = jwk.key
        self._client = jwt.PyJWKClient(config.jwks_url, lifespan=300) if config.jwks_url else None

    @property
    def uses_network(self) -> bool:
        """True if verifying may fetch keys from a JWKS URL (blocking I/O; cached 5 minutes)."""
        return self._client is not None

    def _rs256_key(self, token: str) -> Any:
        kid = jwt.get_unverified_header(token).get("kid") or ""
        if kid in self._file_keys:
            return self._file_keys[kid]
        if not kid and len(self._file_keys) == 1:
            return next(iter(self._file_keys.values()))
        if self._client is not None:
            return self._client.get_signing_key_from_jwt(token).key
        raise TokenError(f"no JWKS key with kid {kid!r}")

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; raises :class:`TokenError` with a short public reason."""
        key = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
        hit = self._verified.get(key)
        if hit is not None and time.time() < hit[1]:
            return hit[0]
        principal, exp = self._check(token)
        # valid while PyJWT's check would pass: it refuses once int(exp) <= now - leeway
        until = min(int(exp) + self.config.leeway_s, time.time() + VERIFIED_KEEP_S)
        with self._verified_lock:
            self._verified.pop(key, None)
            while len(self._verified) >= VERIFIED_MAX:
                del self._verified[next(iter(self._verified))]
            self._verified[key] = (principal, until)
        return principal

    def _check(self, token: str) -> tuple[Principal, Any]:
        """The principal of a token checked in full (signature, claims) and its ``exp``."""
        try:
            alg = jwt.get_unverified_header(token).get("alg")
            if alg == "HS256" and self.config.secret:
                key: Any = self.config.secret
            elif alg == "RS256" and (self._file_keys or self._client is not None):
                key = self._rs256_key(token)
            else:
                raise TokenError(f"token algorithm {alg!r} is not accepted here")
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.config.audience,
                issuer=self.config.issuer,
                leeway=self.config.leeway_s,
                options={"require": ["exp", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenError("token expired") from None
        except jwt.InvalidAudienceError:
            raise TokenError("token is for another audience") from None
        except jwt.InvalidIssuerError:
            raise TokenError("token is from another issuer") from None
        except jwt.MissingRequiredClaimError as exc:
            raise TokenError(f"token lacks the {exc.claim} claim") from None
        except (jwt.PyJWTError, ValueError) as exc:
            raise TokenError(f"invalid token ({type(exc).__name__})") from None
        return principal_from_claims(claims), claims["exp"]


def mint_token(
    subject: str,
    *,
    secret: str | None = None,
    private_key_pem: str | None = None,
    kid: str | None = None,
    agency: str | None = None,
    country: str | None = None,
    roles: Iterable[str] = ("analyst",),
    audience: str = "lintas",
    issuer: str | None = None,
    ttl_s: int = 3600,
    now: float | None = None,
) -> str:
    """A signed JWT for development: HS256 with ``secret``, or RS256 with ``private_key_pem``.

    ``ttl_s``: lifetime in seconds (``exp`` = now + ttl). Raises ValueError for an unknown role, an
    agency that is not an agency id, or when neither key is given.
    """
    roles = list(roles)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown roles {unknown}; known: {list(ROLES)}")
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {"sub": subject, "aud": audience, "iat": issued, "exp": issued + ttl_s, "roles": roles}
    if agency:
        claims["agency"] = check_agency_id(agency)
    if country:
        claims["country"] = country
    if issuer:
        claims["iss"] = issuer
    if secret:
        return jwt.encode(claims, secret, algorithm="HS256")
    if private_key_pem:
        return jwt.encode(claims, private_key_pem, algorithm="RS256", headers={"kid": kid} if kid else None)
    raise ValueError("mint_token needs a secret (HS256) or a private key (RS256)")
