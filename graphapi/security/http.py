"""HTTP gate in front of ``/graphql`` and the upload routes (``/loads``): authentication, body size,
GET policy, batching, rate limit, request timeout. Pure ASGI middleware, so it runs before anything
parses the request.

For each HTTP request under ``paths`` (default ``/graphql``; behind a ``--root-path`` prefix, the path
after it, as the router serves it: :mod:`graphapi.route_path`), in order:

1. request id: the one an outer middleware put on ``request.state.request_id`` (the app's), else a
   sane client ``X-Request-ID`` or a new one, echoed in the response header;
2. GET: a GET *query* is refused with 405 unless ``LINTAS_ALLOW_GET_QUERIES`` (mutations over GET
   are refused by strawberry always); the GraphiQL page (no ``query`` parameter) is served to an
   authenticated caller (in demo mode: anyone), like any request;
3. POST: a body over ``LINTAS_MAX_BODY_BYTES`` is refused with 413, a JSON array (a batch of
   operations) with 400 - batching is off - and a lone UTF-16 surrogate with 400; any other
   method (PUT, DELETE, ...) with 405. The router parses the body within the bounds of
   :mod:`graphapi.security.request_json` (depth, number size, UTF-8 only);
4. authentication (:class:`graphapi.security.auth.Authenticator`, or the ``principal_of(request)``
   given, e.g. an embedding application's own) -> 401 with ``WWW-Authenticate: Bearer`` on
   :class:`Unauthenticated`; the principal is put on ``request.state.principal``;
5. rate limit per principal (anonymous callers per client address; :mod:`graphapi.security.ratelimit`,
   shared by all workers through the embedded store's server) -> 429 with ``Retry-After``;
6. the app runs under ``LINTAS_REQUEST_TIMEOUT_S``; past it the client gets 504 (if no response
   had started).

Requests under ``upload_paths`` (``/loads``: file uploads, job polling) pass the same request id,
authentication, rate limit and audit, but none of the GraphQL rules: GET is not GraphiQL, and a
body is not buffered or checked for batches. It streams through to the route, limited to
``LINTAS_MAX_UPLOAD_BYTES``: a declared ``Content-Length`` over it is refused with 413 before
authentication, and a body that grows past it (chunked) ends in 413 as soon as it does (the route
sees :class:`BodyTooLarge` from ``receive``). The time limit there is ``LINTAS_UPLOAD_TIMEOUT_S``.

Every refusal is a GraphQL-shaped JSON body ``{"data": null, "errors": [{"message", "extensions":
{"code", "requestId"}}]}``, and every refusal is audited (kind ``auth``, outcome ``denied``) when an
audit sink is given.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request

from graphapi.route_path import route_path
from graphapi.security.audit import AuditSink
from graphapi.security.auth import Authenticator, Unauthenticated
from graphapi.security.principal import Principal
from graphapi.security.ratelimit import REQUEST_LEASE, RateLimiter, principal_key
from graphapi.security.request_json import LoneSurrogate, decode_request_json
from graphapi.settings import Settings

log = logging.getLogger("graphapi.security")

#: A client's X-Request-ID is kept only if it looks like an id (as the app's own middleware does).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    """Raised by the gate's ``receive`` once an upload body passes ``LINTAS_MAX_UPLOAD_BYTES``;
    the gate answers 413. Routes that clean up partial uploads should re-raise it."""


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    """True if ``path`` is one of ``prefixes`` or below one (``/loads/x``, not ``/loadsx``)."""
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)


#: A JSON \u escape of a UTF-16 surrogate (a cheap test before parsing the body).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _lone_surrogate(body: bytes) -> str | None:
    """Why the JSON ``body`` is refused for a surrogate that is not half of a pair (pairs decode to
    one character), else None. A body that is not acceptable JSON is left to the GraphQL router,
    which answers it (``graphapi.security.request_json``)."""
    try:
        decode_request_json(body)
    except LoneSurrogate as exc:
        return str(exc)
    except ValueError:
        return None
    return None


def error_body(code: str, message: str, request_id: str) -> bytes:
    """A GraphQL-shaped error document as JSON bytes."""
    return json.dumps(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]}
    ).encode()


async def send_error(
    send: Send, status: int, code: str, message: str, request_id: str, headers: dict[str, str] | None = None
) -> None:
    """Send a complete GraphQL-shaped error response."""
    body = error_body(code, message, request_id)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def audit_refusal(audit: AuditSink | None, principal: Principal | None, reason: str, request_id: str | None,
                  path: str) -> None:
    """Audit a refused HTTP request as the gate does (kind ``auth``, outcome ``denied``, arguments
    ``{"path", "reason"}``: the error code, or why authentication or the rate limit refused), under
    ``principal`` when known. A log that cannot be written is logged, never raised: the refusal stands."""
    if audit is None:
        return
    try:
        audit.record(principal, "http", {"path": path, "reason": reason}, None,
                     kind="auth", outcome="denied", request_id=request_id)
    except OSError:
        log.exception("audit write failed (request %s)", request_id)


class SecurityMiddleware:
    """The gate described in the module docstring. ``app.add_middleware(SecurityMiddleware, settings=...)``."""

    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        authenticator: Authenticator | None = None,
        audit: AuditSink | None = None,
        limiter: RateLimiter | None = None,
        paths: tuple[str, ...] = ("/graphql",),
        principal_of: Callable[[Request], Principal] | None = None,
        upload_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.settings = settings
        self.auth = authenticator or Authenticator(settings)
        self.principal_of = principal_of
        self.audit = audit
        self.limiter = limiter or RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst,
                                              lease=REQUEST_LEASE)
        self.paths = paths
        self.upload_paths = upload_paths

    def _audit_denied(self, principal: Principal | None, reason: str, request_id: str, path: str) -> None:
        audit_refusal(self.audit, principal, reason, request_id, path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = route_path(scope)  # behind a --root-path prefix too: what the router will serve
        upload = _under(path, self.upload_paths)
        if not upload and not _under(path, self.paths):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = (scope.get("state") or {}).get("request_id")
        echo: dict[str, str] = {}
        if not request_id:  # no outer request-id middleware: make one and echo it ourselves
            given = headers.get("x-request-id", "")
            request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
            echo = {"X-Request-ID": request_id}
        method = scope["method"]
        body = b""

        async def fail(status: int, code: str, message: str, extra: dict[str, str] | None = None) -> None:
            if status in (400, 405, 413):  # refused before authentication: audited without a principal
                self._audit_denied(None, code, request_id, scope["path"])
            await send_error(send, status, code, message, request_id, {**echo, **(extra or {})})

        if upload:
            limit = self.settings.max_upload_bytes
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await fail(413, "PAYLOAD_TOO_LARGE", f"upload over {limit} bytes")
                return
        elif method in ("GET", "HEAD"):
            # Without a query this is the GraphiQL page; it is authenticated like any request
            # (the router builds a request context for it too, which needs a principal).
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if "query" in query and not self.settings.allow_get_queries:
                await fail(405, "METHOD_NOT_ALLOWED", "GraphQL over GET is disabled on this server; use POST",
                           {"Allow": "POST"})
                return
        elif method == "POST":
            limit = self.settings.max_body_bytes
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await fail(413, "PAYLOAD_TOO_LARGE", f"request body over {limit} bytes")
                return
            chunks: list[bytes] = []
            size = 0
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    await fail(413, "PAYLOAD_TOO_LARGE", f"request body over {limit} bytes")
                    return
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            if body.lstrip()[:1] == b"[" and "json" in headers.get("content-type", ""):
                await fail(400, "BATCHING_DISABLED",
                           "batched operations are not accepted; send one operation per request")
                return
            surrogate = _lone_surrogate(body) if _SURROGATE_ESCAPE.search(body) else None
            if surrogate:  # JSON can carry "\ud800" alone; no UTF-8 response or log line can hold it
                await fail(400, "BAD_USER_INPUT", surrogate)
                return
        else:  # PUT, DELETE, OPTIONS, ...: nothing is served (FastAPI would answer {"detail": ...})
            message = "GraphQL is served over POST (GET: the GraphiQL page)"
            if method == "OPTIONS" and "origin" in headers:  # a browser's CORS preflight no origin passed
                message = (f"CORS preflight from origin {headers['origin'][:200]!r} refused: this server allows no "
                           "cross-origin requests from it; list the front end's origin in LINTAS_CORS_ORIGINS")
            await fail(405, "METHOD_NOT_ALLOWED", message, {"Allow": "GET, HEAD, POST"})
            return

        try:
            if self.principal_of is not None:
                principal = self.principal_of(Request(scope))
            elif self.auth.tokens.uses_network and "authorization" in headers:
                # A JWKS URL may be fetched (then cached): keep the event loop free meanwhile.
                principal = await asyncio.to_thread(self.auth.authenticate, headers)
            else:
                principal = self.auth.authenticate(headers)
        except Unauthenticated as exc:
            self._audit_denied(None, str(exc), request_id, scope["path"])
            await fail(401, exc.code, str(exc), {"WWW-Authenticate": 'Bearer realm="lintas"'})
            return

        client = scope.get("client") or ("?", 0)
        # the app's open store, if any, holds the counters shared by all workers
        store = getattr(getattr(scope.get("app"), "state", None), "store", None)
        wait = await self.limiter.allow(principal_key(principal, client[0]), store=store)
        if wait > 0:
            self._audit_denied(principal, "rate limited", request_id, scope["path"])
            seconds = max(1, math.ceil(wait))  # the message says what Retry-After says
            await fail(429, "RATE_LIMITED", f"too many requests; retry in {seconds} s",
                       {"Retry-After": str(seconds)})
            return
        scope.setdefault("state", {})["principal"] = principal
        scope["state"]["request_id"] = request_id
        replayed = False
        received = 0

        async def replay() -> Message:
            nonlocal replayed, received
            if upload:  # streamed through, counted
                message = await receive()
                received += len(message.get("body", b""))
                if received > self.settings.max_upload_bytes:
                    raise BodyTooLarge(f"upload over {self.settings.max_upload_bytes} bytes")
                return message
            if method == "POST" and not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if echo:
                    message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        timeout = self.settings.upload_timeout_s if upload else self.settings.request_timeout_s
        try:
            # a deadline on this task, not a task of its own per request (wait_for's: issue 14)
            async with asyncio.timeout(timeout):
                await self.app(scope, replay, tracking_send)
        except TimeoutError:
            log.warning("request %s timed out after %s s", request_id, timeout)
            if not started:
                await fail(504, "TIMEOUT", f"request took longer than {timeout:g} s")
        except BodyTooLarge as exc:
            self._audit_denied(principal, "PAYLOAD_TOO_LARGE", request_id, scope["path"])
            if not started:
                await send_error(send, 413, "PAYLOAD_TOO_LARGE", str(exc), request_id, echo)
