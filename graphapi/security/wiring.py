"""One call that puts the security layer in front of an app: :func:`install_security`.

``create_app`` calls it with its settings (and the principal provider it was given, if any); it
adds the HTTP gate (:class:`graphapi.security.http.SecurityMiddleware`: authentication, body
size, GET policy, batching, rate limit, request timeout, audited refusals), logs the demo banner
when demo mode is on, and keeps the :class:`SecurityRuntime` on ``app.state.security`` for the
request context (audit log, access-request store).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from graphapi.security.auth import demo_banner, principal_provider
from graphapi.security.http import SecurityMiddleware
from graphapi.security.principal import Principal
from graphapi.security.runtime import SecurityRuntime
from graphapi.settings import Settings

log = logging.getLogger("graphapi.security")


def install_security(
    app: Any,
    settings: Settings,
    provider: Callable[[Any], Principal] | None = None,
    runtime: SecurityRuntime | None = None,
    upload_paths: tuple[str, ...] = (),
) -> tuple[Callable[[Any], Principal], SecurityRuntime]:
    """Install the gate on ``app`` (a FastAPI/Starlette app not yet started).

    ``provider``: who is asking; default :func:`graphapi.security.auth.principal_provider`
    (bearer JWT or API key; anonymous only in demo mode). ``upload_paths``: routes gated too, with
    the upload size limit instead of the GraphQL rules (``/loads``). Returns ``(provider, runtime)``.
    """
    runtime = runtime or SecurityRuntime.from_settings(settings)
    provider = provider or principal_provider(settings, runtime.authenticator)
    app.add_middleware(
        SecurityMiddleware, settings=settings, authenticator=runtime.authenticator, audit=runtime.audit,
        principal_of=provider, upload_paths=upload_paths,
    )
    app.state.security = runtime
    banner = demo_banner(settings)
    if banner:
        log.warning(banner)
    return provider, runtime
