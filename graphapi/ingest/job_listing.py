"""One page of an agency's load jobs (``GET /loads``), read from its index (:mod:`graphapi.ingest.job_index`).

The list answered every job in the agency's index, and the grace keeps any number of its finished jobs
(all it ended in the last ten minutes, past the keep of 200): each list read and parsed every status and
built and encoded every view, the last on the event loop (attack round 45a, 4 in its README: 5,000 jobs
in their grace, 80-260 ms stalls per list). A page now holds the agency's unfinished jobs (first page
only; at most its queue of unfinished jobs per worker) and at most ``limit`` (:data:`MAX_LIMIT`) of its
finished jobs, latest ended first, chosen from the index by their end time before any status is read;
a cursor (:func:`cursor`) names where the next page starts, and holds however many end meanwhile.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from graphapi.ingest import job_index, job_status
from graphapi.ingest.job_status import JOB_ID

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "Page", "cursor", "page", "page_asked", "parse_cursor"]

#: Finished jobs on one page unless the client asks for fewer or more.
DEFAULT_LIMIT = 50
#: The most finished jobs one page holds (an agency's keep: KEEP_FINISHED).
MAX_LIMIT = 200
_FINAL = ("done", "failed")


class Page(NamedTuple):
    """The poll views of one page, unfinished jobs first (newest started first), then finished ones
    (latest ended first); ``after``: the cursor of the next page, None on the last."""

    views: list[dict[str, Any]]
    after: str | None


def cursor(entry: job_index.Entry) -> str:
    """The opaque cursor of the page after finished job ``entry``."""
    return base64.urlsafe_b64encode(f"{entry.finished_at} {entry.id}".encode()).decode().rstrip("=")


def parse_cursor(text: str) -> tuple[str, str]:
    """``(finished at, job id)`` of a cursor made by :func:`cursor`; ``ValueError`` for anything else."""
    try:
        finished, job_id = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().split(" ")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValueError("after must be the nextHref cursor of an earlier page of GET /loads") from None
    if not JOB_ID.fullmatch(job_id) or not finished:
        raise ValueError("after must be the nextHref cursor of an earlier page of GET /loads")
    return finished, job_id


def page_asked(query: Mapping[str, str]) -> tuple[int, tuple[str, str] | None]:
    """``limit`` and ``after`` of ``GET /loads``'s ``query`` (``ValueError``, the client's message, for a bad one)."""
    text = query.get("limit")
    try:
        limit = DEFAULT_LIMIT if text is None else int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    after = query.get("after")
    return limit, parse_cursor(after[:200]) if after is not None else None


def page(uploads: Path, owner: str, live: Mapping[str, Any], *, limit: int = DEFAULT_LIMIT,
         after: tuple[str, str] | None = None) -> Page:
    """Agency ``owner``'s page of jobs after cursor ``after`` (None: the first page): ``live`` holds
    this worker's jobs by id (``LoadJob``: their views are built for the page's only), the others are
    read from their directories. Reads files: call it off the event loop."""
    key = job_index.agency_key(owner)
    entries = job_index.entries(uploads, key)
    finished = sorted((e for e in entries if e.finished_at is not None), key=lambda e: (e.finished_at, e.id),
                      reverse=True)
    if after is not None:
        finished = [e for e in finished if (e.finished_at, e.id) < after]
    shown = finished[:limit]
    views = [v for v in (_view(uploads, e.id, owner, live) for e in shown) if v is not None]
    running = []
    if after is None:
        for entry in (e for e in entries if e.finished_at is None):
            view = _view(uploads, entry.id, owner, live)
            if view is not None:
                running.append(view)
                _mend(uploads, owner, view)
        running.sort(key=lambda v: str(v.get("createdAt") or ""), reverse=True)
    return Page(running + views, cursor(shown[-1]) if len(finished) > limit else None)


def _view(uploads: Path, job_id: str, owner: str, live: Mapping[str, Any]) -> dict[str, Any] | None:
    job = live.get(job_id)
    view = job.as_dict() if job is not None else job_status.read_status(uploads, job_id)
    return view if view is not None and view.get("owner") == owner else None


def _mend(uploads: Path, owner: str, view: dict[str, Any]) -> None:
    """Index as ended a job indexed as running whose status is final (its end's index write failed, on
    a worker gone since): listed among the finished from the next list on, and counted in the caps."""
    if view.get("state") in _FINAL and view.get("finishedAt"):
        try:
            job_index.ended(uploads, owner, view["id"], str(view["finishedAt"]))
        except OSError:
            pass  # the next list, start or eviction tries again
