"""How the ``/loads`` routes answer (:mod:`graphapi.ingest.http_jobs`): their path, an error's body,
a job's view as its client sees it, and a reject report streamed as whole lines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, BinaryIO

from fastapi import Request
from fastapi.responses import Response

from graphapi.security.http import error_body

LOADS_PATH = "/loads"


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    """The GraphQL-shaped error answer ``{"data": null, "errors": [...]}`` with the request's id."""
    rid = getattr(request.state, "request_id", None) or ""
    return Response(error_body(code, message, rid), status_code=status, media_type="application/json")


def client_view(view: dict[str, Any]) -> dict[str, Any]:
    """A job's poll view (``LoadJob.as_dict()``, this worker's or stored by another) as a client sees it."""
    view = dict(view, summary=dict(view["summary"]) if view["summary"] is not None else None)
    href = f"{LOADS_PATH}/{view['id']}"
    view.update(href=href, rejectsHref=f"{href}/rejects")
    if view["summary"] is not None:
        view["summary"]["reject_report"] = view["rejectsHref"]  # not the server's path
    return view


async def report_lines(fh: BinaryIO, size: int) -> AsyncIterator[bytes]:
    """The first ``size`` bytes of the open reject report ``fh``, complete lines only, then ``fh``
    closed."""
    with fh:
        left, tail = size, b""
        while left > 0:
            chunk = fh.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)
            data = tail + chunk
            cut = data.rfind(b"\n") + 1  # complete lines only: a running load may be mid-line
            tail = data[cut:]
            if cut:
                yield data[:cut]
