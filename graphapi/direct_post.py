"""``POST /graphql`` handed straight to strawberry's view: :class:`DirectGraphQLPost`.

Through FastAPI a GraphQL POST went through its exception and exit-stack middleware, the route
table and the dependency solver (the request context, a root value, a response to fill) before
strawberry saw it: ~15% of a point lookup's CPU (issue 14) for nothing a GraphQL request needs.
This middleware sits innermost (after the security gate, which has already authenticated,
bounded and timed the request) and gives the view what FastAPI's route gave it: the same
context, with its ``request``, ``response`` and ``background_tasks``, and the same response.
Every other request (GET and the GraphiQL page, ``/loads``, ``/healthz``, another path) goes on
to FastAPI as before. Behind a ``root_path`` prefix the path is matched without it, as the gate
and FastAPI's router match it (``graphapi.route_path``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response
from starlette.background import BackgroundTasks
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.fastapi.router import HTTPException  # what the view raises for a bad request (cross_web's)

from graphapi.route_path import route_path


def _sub_response() -> Response:
    """The response FastAPI hands an endpoint to fill: no status and no headers of its own."""
    response = Response()
    del response.headers["content-length"]
    response.status_code = None  # type: ignore[assignment]
    return response


class DirectGraphQLPost:
    """ASGI middleware: ``POST <path>`` runs ``router`` (a strawberry ``GraphQLRouter``) with the
    context ``context_of(request)`` builds; anything else goes on to ``app``."""

    def __init__(self, app: ASGIApp, router: Any, context_of: Callable[[Request], Awaitable[Any]],
                 path: str = "/graphql") -> None:
        self.app = app
        self.router = router
        self.context_of = context_of
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or route_path(scope) != self.path:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        sub_response, tasks = _sub_response(), BackgroundTasks()
        context = await self.context_of(request)
        # as strawberry's FastAPI dependency fills a BaseContext
        context.request, context.response, context.background_tasks = request, sub_response, tasks
        self.router.temporal_response = sub_response  # what the view's get_sub_response answers
        try:
            response = await self.router.run(request=request, context=context, root_value=None)
        except HTTPException as exc:  # as strawberry's route answers it
            response = PlainTextResponse(exc.reason, status_code=exc.status_code)
        if response.background is None:
            response.background = tasks
        await response(scope, receive, send)
