"""The HTTP application: ``create_app()`` is the only export (the yente habit).

Routes: ``/graphql`` (GraphQL over POST, GraphiQL in a browser; queries over GET only with
``LINTAS_ALLOW_GET_QUERIES``, never mutations), ``/loads`` (file uploads as load jobs, polled:
``graphapi.ingest.http_jobs``), ``/healthz`` (the process answers: always 200) and ``/readyz`` (the
store answers and the audit log can be appended to: 200, else 503 with a JSON reason). Every
GraphQL request gets a request id (``X-Request-ID`` if the client sent one), echoed in the response
header and in errors. A request that is not a GraphQL operation (bad JSON, no query, ...) is
answered with a GraphQL-shaped JSON error, code ``BAD_REQUEST``, as the security gate answers its
refusals (``docs/security.md``). Browser pages of the origins ``LINTAS_CORS_ORIGINS`` allows may
call it from another origin (CORS, outermost, before the security gate).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import GraphQLRouter
from strawberry.fastapi.router import HTTPException  # what the router answers in plain text (cross_web's)

from graphapi.direct_post import DirectGraphQLPost
from graphapi.errors import public_error
from graphapi.ingest.http_jobs import install_load_jobs
from graphapi.ingest.load_responses import LOADS_PATH
from graphapi.ingest.mapping.model import named_mappings
from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.ingest.reference_data import keep_ensuring_reference_data
from graphapi.investigate.rates import RateTableError, rate_table
from graphapi.investigate.search_warmup import warm_search
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import turns
from graphapi.security.http import audit_refusal, error_body
from graphapi.security.principal import Principal
from graphapi.security.request_json import RequestJsonError, decode_request_json
from graphapi.security.wiring import install_security
from graphapi.settings import Settings, get_settings, removed_settings
from graphapi.store import GraphStore, StoreError, open_store

__all__ = ["create_app"]

log = logging.getLogger("graphapi.app")

PrincipalProvider = Callable[[Request], Principal]

#: CORS (``LINTAS_CORS_ORIGINS``, see ``Settings.cors``): what a page of an allowed origin may send
#: and read. Credentials are headers (a bearer token, an API key), never cookies: no
#: Access-Control-Allow-Credentials.
CORS_METHODS = ("GET", "POST")
CORS_HEADERS = ("Authorization", "Content-Type", "X-API-Key", "X-Request-ID")
CORS_EXPOSED = ("X-Request-ID", "Retry-After")
CORS_MAX_AGE_S = 600
#: How long a stopping worker waits for grants cut off (504) to run to their end; past it the ids
#: noted on their requests are taken back by the next decision.
TAKE_BACK_AT_SHUTDOWN_S = 30

#: A client's X-Request-ID is kept only if it looks like an id (no header injection, bounded log lines).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class _NoWebSockets:
    """ASGI middleware: every websocket handshake is refused (close 1008 before accept, which a
    server answers 403). Lintas serves no subscriptions, and the security gate checks HTTP only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await self.app(scope, receive, send)


class _RequestId:
    """ASGI middleware: ``request.state.request_id`` from a sane ``X-Request-ID`` or a new uuid4 hex,
    echoed in the response's ``X-Request-ID`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)


#: The code of a request strawberry cannot take as a GraphQL operation (Apollo Server's name).
BAD_REQUEST = "BAD_REQUEST"
_JSON_TYPES = {str: "a string", int: "a number", float: "a number", bool: "a boolean", type(None): "null"}


class _GraphQLRouter(GraphQLRouter):
    """strawberry's router, except that a request it cannot take as an operation (a body that is
    not JSON, not UTF-8 (a byte-order mark, UTF-16 or UTF-32 included), nested too deep, with
    a too long number (``graphapi.security.request_json``) or not an object; no ``query``;
    ``variables`` or ``extensions`` not an object; an unknown ``operationName``; a mutation over
    GET; a POST that is not ``application/json``: 415) is answered like the gate's refusals: a
    GraphQL-shaped JSON error, code ``BAD_REQUEST``, with the request id, audited under the caller
    (kind ``auth``, outcome ``denied``). strawberry answers these in plain text, or fails on a
    body that is JSON but not an object."""

    async def run(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().run(request, *args, **kwargs)
        except HTTPException as exc:
            if self.is_websocket_request(request):
                raise
            state = request.state
            request_id = getattr(state, "request_id", None) or ""
            runtime = getattr(request.app.state, "security", None)
            audit_refusal(getattr(runtime, "audit", None), getattr(state, "principal", None), BAD_REQUEST,
                          request_id, request.url.path)
            return Response(error_body(BAD_REQUEST, exc.reason[:500], request_id), status_code=exc.status_code,
                            media_type="application/json")

    def __init__(self, *args: Any, max_document_chars: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._max_document_chars = max_document_chars

    async def parse_http_body(self, request: Any) -> Any:
        media_type = (request.content_type or "").split(";")[0].strip().lower()
        if request.method == "POST" and media_type != "application/json":
            raise HTTPException(415, "send the operation as JSON (Content-Type: application/json)")
        data = await super().parse_http_body(request)
        for item in data if isinstance(data, list) else [data]:
            # before the lexer: a 1.9 MB comment is 3 tokens and ~1.7 s of the event loop
            # (attack round 38b, 3); the token limit cannot see it
            if len(item.query or "") > self._max_document_chars:
                raise HTTPException(413, f"the GraphQL document has {len(item.query):,} characters, at most "
                                         f"{self._max_document_chars:,} (LINTAS_MAX_DOCUMENT_CHARS); send data "
                                         "in variables")
        return data

    def decode_json(self, data: str | bytes) -> object:
        # bounded depth and number size, UTF-8 only (bodies and GET variables)
        try:
            return decode_request_json(data)
        except RequestJsonError as exc:
            raise HTTPException(400, f"Unable to parse request body as JSON: {exc}") from None

    def encode_json(self, data: object) -> str | bytes:
        # orjson: a 75-node subgraph's answer in ~1/10 of json.dumps' time (issue 14). What it will
        # not write (a lone surrogate, an int past 64 bits, a key that is not a string) is written
        # by strawberry's json.dumps as before; non-ASCII text goes as UTF-8, not \u escapes.
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:
            return super().encode_json(data)

    def parse_json(self, data: str | bytes) -> Any:
        value = super().parse_json(data)
        if not isinstance(value, dict | list):  # a list is a batch: refused by the gate or strawberry
            raise HTTPException(400, f"expected a JSON object, got {_JSON_TYPES.get(type(value), 'a value')}")
        return value


def create_app(
    settings: Settings | None = None,
    principal_provider: PrincipalProvider | None = None,
    *,
    store: GraphStore | None = None,
) -> FastAPI:
    """Build the FastAPI app (uvicorn calls it with no arguments: ``factory=True``).

    ``settings``: defaults to the environment's. ``principal_provider(request)``: who is asking;
    default: a bearer JWT or an API key (``graphapi.security.auth``), anonymous only when
    ``settings.demo``. Either way the security gate (``graphapi.security.http``) answers 401/413/
    429/504 itself (for ``/loads`` too), and every GraphQL operation and load job is audited (``docs/security.md``).
    ``store``: an already-open store to serve (tests); the app then neither opens nor closes it.
    Without one, the lifespan opens the configured store and closes it on shutdown; if it
    cannot open, the app still starts, ``/readyz`` says why, and the next request retries.
    """
    settings = settings or get_settings()
    owns_store = store is None
    lock = asyncio.Lock()

    async def current_store(app: FastAPI) -> GraphStore:
        """The open store, opening it now if startup could not; raises StoreUnavailable."""
        if app.state.store is None:
            async with lock:
                if app.state.store is None:
                    opened = await open_store(settings)
                    # Idempotent and cheap: a fresh data directory must answer search at once,
                    # not fail until someone runs `lintas init-db`.
                    await opened.init_schema()
                    # The gazetteers' reference data (B1), in the background: it waits for the
                    # write lease, which another load may hold for minutes, and the API must listen
                    # meanwhile (attack round 15, R1); tried until it succeeds (R1d).
                    app.state.reference = asyncio.ensure_future(keep_ensuring_reference_data(opened))
                    app.state.store = opened
        return app.state.store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming = finishing = None
        try:  # a bad LINTAS_RATES_FILE is said at start-up, not first at an analyst's moneyTrail
            rate_table()
        except RateTableError as exc:
            log.error("moneyTrail rate table not usable: %s", exc)
        named_mappings()  # a deployment mapping left out (LINTAS_MAPPINGS) is logged at start-up
        for removed in removed_settings():  # a leftover setting bounds nothing: say so
            log.warning("%s", removed)
        if owns_store:
            try:
                opened = await current_store(app)
                if opened.dialect == "neo4j":  # its first search of each shape is planned for seconds
                    warming = asyncio.ensure_future(warm_search(opened))
                # a load killed half-way through a retraction is finished now, not at the next load
                finishing = asyncio.ensure_future(finish_pending_now(opened))
            except StoreError as exc:
                log.error("graph store not available at startup: %s", exc)
        yield
        for task in (warming, finishing, getattr(app.state, "reference", None)):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        await app.state.load_jobs.close()
        with suppress(TimeoutError):  # a grant, share or unshare cut off ends before the store closes
            await asyncio.wait_for(turns.settled(), TAKE_BACK_AT_SHUTDOWN_S)
        if owns_store and app.state.store is not None:
            await app.state.store.close()
            app.state.store = None

    # The OpenAPI pages list every route: development only, like GraphQL introspection.
    docs = settings.env == "development"
    app = FastAPI(title="Lintas", summary="Knowledge-graph investigation API", lifespan=lifespan,
                  docs_url="/docs" if docs else None, redoc_url="/redoc" if docs else None,
                  openapi_url="/openapi.json" if docs else None)
    app.state.store = store
    principal_of, security = install_security(app, settings, principal_provider, upload_paths=(LOADS_PATH,))
    install_load_jobs(app, settings, current_store)

    async def get_context(request: Request) -> Context:
        try:
            st: GraphStore | None = await current_store(request.app)
        except StoreError as exc:
            log.error("graph store unavailable: %s", exc)
            st = None
        principal = getattr(request.state, "principal", None) or principal_of(request)
        return Context(
            st, principal, getattr(request.state, "request_id", None),
            audit=security.audit, access_requests=security.access_requests, hit_budget=security.hit_budget,
            lookup_budget=security.lookup_budget,
        )

    router = _GraphQLRouter(
        build_schema(settings), context_getter=get_context, graphql_ide="graphiql",
        allow_queries_via_get=settings.allow_get_queries, max_document_chars=settings.max_document_chars,
        # No subscriptions: the schema has none, and a websocket would bypass the HTTP gate.
        subscription_protocols=(),
    )
    app.include_router(router, prefix="/graphql")
    # innermost, past the security gate: a GraphQL POST skips FastAPI's routing (graphapi.direct_post)
    app.user_middleware.append(Middleware(DirectGraphQLPost, router=router, context_of=get_context))

    app.add_middleware(_RequestId)
    app.add_middleware(_NoWebSockets)
    origins, origin_regex = settings.cors
    if origins or origin_regex:
        # Outermost: a preflight is answered before the security gate (which would ask it for
        # credentials, and answer OPTIONS 405), and the gate's own 401/413/429 carry the CORS
        # headers, so a browser page can read why it was refused.
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_origin_regex=origin_regex, allow_methods=CORS_METHODS,
            allow_headers=CORS_HEADERS, expose_headers=CORS_EXPOSED, max_age=CORS_MAX_AGE_S,
        )

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        """The process is up (says nothing about the store)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    async def readyz(request: Request) -> JSONResponse:
        """200 when the graph store answers a ping (with its version where the backend reports
        it: Neo4j) and the audit log can be appended to, else 503 with the reason (only
        ``{"audit": "fault"}`` when the audit log cannot be appended to: the detail is logged, this
        endpoint is unauthenticated)."""
        try:
            st = await current_store(request.app)
            version = await st.ping()
        except Exception as exc:  # any failure means not ready; the reason is public_error's
            _code, reason = public_error(exc)
            log.warning("not ready: %r", exc)
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        problem = await asyncio.to_thread(security.audit.health)
        if problem is not None:  # unauthenticated: the detail (sizes, line numbers) only in the server log
            log.warning("not ready: audit log fault: %s (see `lintas audit verify` and `lintas audit repair`)",
                        problem)
            return JSONResponse({"audit": "fault"}, status_code=503)
        return JSONResponse({"status": "ready", "backend": st.dialect, **({"version": version} if version else {})})

    return app
