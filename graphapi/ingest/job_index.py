"""Each agency's load jobs, indexed on disk: ``<uploads>/.agencies/<agency>/<entry>``.

Listing an agency's jobs read and parsed the status of every job of every agency under ``uploads``,
on the event loop, per call (attack round 44b, 4: 5,000 statuses for an agency with no job), and
evicting an agency's kept jobs read them all too, so eviction ran only for the agency whose job
had just ended: an agency's reports kept past its cap in the grace stayed past it for good once it
stopped uploading (44b, 1). The index holds one empty file per job of an agency, named ``<job id>``
from the job's start, then ``<job id>_<reject report bytes>_<finishedAt>`` once it ended: an
agency's jobs, and its finished jobs' end times and report sizes, are one directory listing, with no
status read, on every worker sharing ``uploads`` (files, not one worker's memory).

The job directories stay the truth: :func:`rebuild` makes the index agree with them (at every
start: a worker of an earlier version indexed nothing, and a gone worker's job ended abandoned by the
sweep), and an entry whose job directory is gone is dropped as it is met.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import NamedTuple

from graphapi.ingest.job_status import read_status
from graphapi.ingest.load_sweep import INDEX_DIR, REJECTS_FILE
from graphapi.private_files import private_dir

__all__ = ["INDEX_DIR", "Entry", "agency_key", "agency_keys", "ended", "entries", "rebuild", "remove", "started"]

#: An agency id as ``graphapi.ingest.options.AGENCY_ID`` allows it: a file name of its own.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_FINAL = ("done", "failed")
#: An entry's name: ``<job id>`` (32 hex digits), then ``_<report bytes>_<finishedAt>`` once ended.
_NAME = re.compile(r"([0-9a-f]{32})(?:_([0-9]{1,18})_([^_/]+))?")


class Entry(NamedTuple):
    """One job of an agency: ``finished_at`` (ISO 8601 UTC) and its reject report's bytes once it
    ended; ``finished_at`` None while it runs. (A tuple: thousands are read per eviction.)"""

    id: str
    finished_at: str | None = None
    report_bytes: int = 0

    @property
    def name(self) -> str:
        return self.id if self.finished_at is None else f"{self.id}_{self.report_bytes}_{self.finished_at}"


def agency_key(agency: str) -> str:
    """The index folder of ``agency``: its id, or a digest of anything else (never a path of its own)."""
    if _PLAIN.fullmatch(agency):
        return agency
    return "~" + hashlib.sha256(agency.encode("utf-8", "replace")).hexdigest()[:32]


def _folder(uploads: Path, key: str) -> Path:
    return uploads / INDEX_DIR / key


def _parse(name: str) -> Entry | None:
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    job_id, size, finished = match.groups()
    return Entry(job_id) if size is None else Entry(job_id, finished, int(size))


def _touch(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def agency_keys(uploads: Path) -> list[str]:
    """The index folders of the agencies with a job."""
    try:
        return sorted(p.name for p in (uploads / INDEX_DIR).iterdir() if p.is_dir())
    except OSError:
        return []


def entries(uploads: Path, key: str) -> list[Entry]:
    """The jobs indexed in folder ``key`` (an ended job's entry wins over its start's, if both are
    there), any order."""
    try:
        names = os.listdir(_folder(uploads, key))
    except OSError:
        return []
    found: dict[str, Entry] = {}
    for entry in filter(None, map(_parse, names)):
        if entry.finished_at is not None or entry.id not in found:
            found[entry.id] = entry
    return list(found.values())


def started(uploads: Path, agency: str, job_id: str) -> None:
    """Index job ``job_id`` of ``agency`` (its directory made already)."""
    _touch(private_dir(_folder(uploads, agency_key(agency))) / job_id)


def ended(uploads: Path, agency: str, job_id: str, finished_at: str) -> Entry:
    """Index job ``job_id`` of ``agency`` as ended at ``finished_at``, with its reject report's bytes."""
    folder = private_dir(_folder(uploads, agency_key(agency)))
    entry = Entry(job_id, finished_at, _report_bytes(uploads / job_id))
    _touch(folder / entry.name)
    (folder / job_id).unlink(missing_ok=True)
    return entry


def remove(uploads: Path, key: str, entry: Entry) -> None:
    """Drop ``entry`` from folder ``key`` (its job directory deleted first: evicted, or gone)."""
    for name in {entry.name, entry.id}:
        (_folder(uploads, key) / name).unlink(missing_ok=True)


def _report_bytes(directory: Path) -> int:
    try:
        return (directory / REJECTS_FILE).stat().st_size
    except OSError:
        return 0


def rebuild(uploads: Path) -> int:
    """Make the index agree with the job directories under ``uploads`` (a full scan: at start only):
    index each job its status names an owner of, as ended if it ended; drop entries of jobs whose
    directory is gone. Returns the jobs indexed."""
    if not uploads.is_dir():
        return 0
    indexed = {e.id: (k, e) for k in agency_keys(uploads) for e in entries(uploads, k)}
    count = 0
    for directory in uploads.iterdir():
        view = read_status(uploads, directory.name)
        if view is None or not isinstance(view.get("owner"), str) or not view["owner"]:
            continue
        count += 1
        key, entry = indexed.get(directory.name, (None, None))
        final = view.get("state") in _FINAL and view.get("finishedAt")
        if key == agency_key(view["owner"]) and entry is not None and (entry.finished_at is not None or not final):
            continue
        try:
            if final:
                ended(uploads, view["owner"], directory.name, str(view["finishedAt"]))
            else:
                started(uploads, view["owner"], directory.name)
        except OSError:  # e.g. a finishedAt no file name holds (not this version's): left unindexed
            continue
    for key, entry in indexed.values():
        if not (uploads / entry.id).is_dir():  # checked now: a job started since the scan has its directory
            remove(uploads, key, entry)
    return count
