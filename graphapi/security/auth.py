"""Who is asking: a principal from ``Authorization: Bearer <JWT>`` or ``X-API-Key: <key>``.

- A bearer token is verified by :class:`graphapi.security.tokens.TokenVerifier` (HS256 secret or
  RS256 JWKS; ``exp`` and ``aud`` checked).
- An API key is checked against the hashed key file (:mod:`graphapi.security.apikeys`).
- With neither, the request is anonymous: allowed only when ``settings.demo`` is on (``lintas
  demo``), as :data:`DEMO_PRINCIPAL` (CLEAR and GREEN only). Bad credentials are refused even in
  demo mode: a typo in a token never silently downgrades to the demo view.

:func:`principal_provider` is what ``create_app(principal_provider=...)`` takes. Failures raise
:class:`Unauthenticated` (HTTP 401, GraphQL ``extensions.code`` ``UNAUTHENTICATED``); the
middleware in :mod:`graphapi.security.http` turns it into a GraphQL-shaped JSON response.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from graphapi.errors import LintasError
from graphapi.security.apikeys import ApiKeyError, ApiKeyStore
from graphapi.security.principal import DEMO_PRINCIPAL, Principal
from graphapi.security.tokens import TokenConfig, TokenError, TokenVerifier
from graphapi.settings import Settings

log = logging.getLogger("graphapi.security")


class Unauthenticated(LintasError):
    """No valid credentials (HTTP 401)."""

    code = "UNAUTHENTICATED"
    status = 401


def token_config(settings: Settings) -> TokenConfig:
    """The JWT settings as a :class:`TokenConfig`."""
    return TokenConfig(
        audience=settings.jwt_audience,
        secret=settings.jwt_secret.get_secret_value() if settings.jwt_secret else None,
        jwks_file=settings.jwks_file,
        jwks_url=settings.jwks_url,
        issuer=settings.jwt_issuer,
        leeway_s=settings.jwt_leeway_s,
    )


def apikey_path(settings: Settings) -> Path:
    """Where the hashed API keys live: ``LINTAS_APIKEY_FILE`` or ``<data_dir>/apikeys.json``."""
    return settings.apikey_file or Path(settings.data_dir) / "apikeys.json"


class Authenticator:
    """Maps request headers to a principal; built once per app from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.demo = settings.demo
        self.tokens = TokenVerifier(token_config(settings))
        self.apikeys = ApiKeyStore(apikey_path(settings))

    def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """The principal for these headers (lower-case names, as Starlette gives them).

        Raises :class:`Unauthenticated` with a short reason that is safe to show.
        """
        authorization = headers.get("authorization")
        api_key = headers.get("x-api-key")
        if authorization and api_key:
            raise Unauthenticated("send either a bearer token or an API key, not both")
        if authorization:
            scheme, _, token = authorization.strip().partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthenticated("Authorization must be 'Bearer <token>'")
            if not self.tokens.config.enabled:
                raise Unauthenticated("bearer tokens are not configured on this server")
            try:
                return self.tokens.verify(token.strip())
            except TokenError as exc:
                raise Unauthenticated(str(exc)) from None
        if api_key:
            try:
                return self.apikeys.verify(api_key)
            except ApiKeyError as exc:
                raise Unauthenticated(str(exc)) from None
        if self.demo:
            return DEMO_PRINCIPAL
        raise Unauthenticated("authentication required: send 'Authorization: Bearer <JWT>' or 'X-API-Key: <key>'")


def principal_provider(settings: Settings, authenticator: Authenticator | None = None) -> Callable[[Any], Principal]:
    """A ``principal_provider(request) -> Principal`` for ``create_app``.

    Uses the principal :class:`graphapi.security.http.SecurityMiddleware` already put on
    ``request.state.principal``; without that middleware it authenticates the headers itself and
    raises :class:`Unauthenticated`.
    """
    auth = authenticator or Authenticator(settings)

    def provide(request: Any) -> Principal:
        principal = getattr(request.state, "principal", None)
        if isinstance(principal, Principal):
            return principal
        return auth.authenticate(request.headers)

    return provide


def demo_banner(settings: Settings) -> str | None:
    """The start-up warning for demo mode (None when demo mode is off)."""
    if not settings.demo:
        return None
    return (
        "DEMO MODE: anonymous requests are served as the demo principal (CLEAR and GREEN data only). "
        "Never run demo mode on real data."
    )
