"""What one agency may hold in load jobs over HTTP, and the disk floor every upload keeps.

One loader's token queued uploads without bound, each up to ``LINTAS_MAX_UPLOAD_BYTES`` under
``LINTAS_DATA_DIR``, the disk the embedded store's AOF writes to, while two ran (attack round 38b,
5). An agency's unfinished jobs (uploading, queued or running: their directory still names who
started them, :data:`STARTER_FILE`, and a live worker) are counted before an upload is read and
bounded in number (``LINTAS_LOAD_QUEUE_PER_AGENCY``) and bytes held
(``LINTAS_LOAD_PENDING_BYTES_PER_AGENCY``: 429); an upload that would leave the disk under
``LINTAS_UPLOAD_MIN_FREE_BYTES`` is refused 507. The bytes and the floor are checked again as the
upload streams, so a body with no declared length is stopped as it crosses them: the agency's bytes
then are what every unfinished job of the agency in this worker holds, live (:data:`_HELD`: the bytes
an upload has received so far, then its upload and its reject report's bound until it ends), plus what
other workers' jobs held on disk at admit; uploads at once share one cap (attack round 40b, 2: 3 x 0.6
MB streamed under a 1 MB cap). Another worker's upload streaming at the same time is seen as its bytes
on disk at admit only: with ``--workers N`` an agency holds at most about N x the cap.

Other workers' jobs are read from the agency's index (:mod:`graphapi.ingest.job_index`; an upload is
indexed as its directory is made), off the event loop, and this worker's counted live: every start read
the starter file of every job directory of every agency on the loop (attack round 45a, 1: 5,001 reads,
~60 ms a start, a refused one too).
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from graphapi.ingest import job_index
from graphapi.ingest.job_status import read_status
from graphapi.ingest.load_sweep import OWNER_FILE, REJECTS_FILE, STARTER_FILE
from graphapi.ingest.worker_identity import worker_alive

#: (uploads directory, agency) -> {job id: bytes held} of this worker's unfinished jobs (received so far
#: while streaming).
_HELD: dict[tuple[str, str], dict[str, int]] = {}

_FINAL = ("done", "failed")
#: Bytes streamed between two checks of the disk's free space during one upload.
CHECK_EVERY = 4 << 20


class UploadRefused(Exception):
    """An upload refused for room: ``status`` (429 or 507), ``code`` and a message for the client."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def _starter_agency(directory: Path) -> str | None:
    try:
        return json.loads((directory / STARTER_FILE).read_text(encoding="utf-8")).get("agency")
    except (OSError, ValueError, AttributeError):
        return None


def _held(files: Path) -> int:
    total = 0
    for path in files.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            pass  # deleted as the job ended
    return total


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def unfinished_elsewhere(uploads: Path, agency: str, ours: frozenset[str] = frozenset(), enough: int = 0
                         ) -> dict[str, int]:
    """``{job id: bytes held}`` of ``agency``'s unfinished jobs under ``uploads`` on every live worker but
    those in ``ours`` (this process's, counted live: :data:`_HELD`), read from the agency's index
    (:mod:`graphapi.ingest.job_index`: a job is indexed as its directory is made), at most ``enough``
    of them (0: all). An entry indexed as running whose job has ended is indexed as ended (its end's
    index write failed), one whose directory is gone is dropped: each is met once. Reads files: call
    it off the event loop."""
    key = job_index.agency_key(agency)
    found: dict[str, int] = {}
    for entry in job_index.entries(uploads, key):
        if entry.finished_at is not None or entry.id in ours:
            continue
        directory = uploads / entry.id
        try:
            if not directory.is_dir():  # an upload refused or cut off, or a job swept
                job_index.remove(uploads, key, entry)
                continue
            view = read_status(uploads, entry.id)
            if view is not None and view.get("state") in _FINAL:
                if view.get("finishedAt") and view.get("owner") == agency:
                    job_index.ended(uploads, agency, entry.id, str(view["finishedAt"]))
                continue  # ended: it holds no place
            if _starter_agency(directory) != agency:  # its end audited, or not the agency's
                continue
            worker = (directory / OWNER_FILE).read_text()
        except OSError:
            continue
        if worker_alive(worker):  # a gone worker's is swept at the next start
            found[entry.id] = _held(directory / "files") + _size(directory / REJECTS_FILE)
            if enough and len(found) >= enough:
                break
    return found


class UploadRoom:
    """The room one agency's upload has: :meth:`admit` before it is read, :meth:`check` as it streams."""

    def __init__(self, uploads: Path, agency: str, settings: object, job_id: str = "") -> None:
        self.uploads, self.agency, self.job_id = uploads, agency, job_id
        self._key = (str(uploads), agency)
        self.max_jobs = int(getattr(settings, "load_queue_per_agency", 0) or 0)
        self.max_bytes = int(getattr(settings, "load_pending_bytes_per_agency", 0) or 0)
        self.min_free = int(getattr(settings, "upload_min_free_bytes", 0) or 0)
        self.held = 0
        self._next_disk_check = 0

    async def admit(self, declared: int | None) -> None:
        """Refuse (:class:`UploadRefused`) an upload the agency has no room for, ``declared`` bytes
        long if known. Other workers' jobs are read off the event loop; this process's are counted
        live and the upload takes its place with no await after that count (two uploads of one
        worker never both take the last place). Make its job directory with no await after it."""
        ours = frozenset(_HELD.get(self._key, {}))
        elsewhere = await asyncio.to_thread(unfinished_elsewhere, self.uploads, self.agency, ours, self.max_jobs)
        self.take(declared, elsewhere)

    def take(self, declared: int | None, elsewhere: dict[str, int]) -> None:
        """:meth:`admit`'s count, with ``elsewhere`` the jobs other workers hold (:func:`unfinished_elsewhere`)."""
        streaming = _HELD.setdefault(self._key, {})
        others = {job: held for job, held in elsewhere.items() if job not in streaming}  # ours: live
        jobs = len(others) + len(streaming)
        self.held = sum(others.values())
        if self.max_jobs and jobs >= self.max_jobs:
            raise UploadRefused(429, "RATE_LIMITED", f"{self.agency} has {jobs} load job(s) uploading, queued "
                                f"or running, the most it may; upload again when one has ended")
        self._bytes(sum(streaming.values()) + (declared or 0))
        self._disk(declared or 0)
        self._next_disk_check = CHECK_EVERY
        streaming[self.job_id] = 0  # from here its bytes count for the agency's other uploads

    def admit_report(self, size: int) -> None:
        """Refuse (507) a job whose reject report of at most ``size`` bytes would take the disk under its floor."""
        self._disk(size)

    def reserve(self, extra: int) -> None:
        """The started job holds ``extra`` bytes more until it ends (its reject report's bound)."""
        streaming = _HELD.setdefault(self._key, {})
        streaming[self.job_id] = streaming.get(self.job_id, 0) + extra

    def release(self) -> None:
        """The job has ended, or its upload was refused or cut off: it holds nothing now."""
        streaming = _HELD.get(self._key, {})
        streaming.pop(self.job_id, None)
        if not streaming:
            _HELD.pop(self._key, None)

    def check(self, received: int) -> None:
        """Refuse the upload once ``received`` bytes of it pass the agency's bytes or the disk floor."""
        streaming = _HELD.setdefault(self._key, {})
        streaming[self.job_id] = received
        self._bytes(sum(streaming.values()))
        if received >= self._next_disk_check:
            self._disk(0)
            self._next_disk_check = received + CHECK_EVERY

    def _bytes(self, coming: int) -> None:
        if self.max_bytes and self.held + coming > self.max_bytes:
            raise UploadRefused(429, "RATE_LIMITED", f"{self.agency}'s unfinished load jobs would hold more than "
                                f"{self.max_bytes:,} bytes of uploads; upload again when one has ended")

    def _disk(self, coming: int) -> None:
        if not self.min_free:
            return
        directory = self.uploads if self.uploads.is_dir() else self.uploads.parent
        if shutil.disk_usage(directory).free - coming < self.min_free:
            raise UploadRefused(507, "INSUFFICIENT_STORAGE", "the server has too little disk space left for "
                                "uploads; nothing was loaded, try again later")
