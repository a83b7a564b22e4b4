"""A load job's child run inside the test's own process: ``run_load_process`` as it is (its spec
line, its reports, its acks, its stop), the child's own code (``load_process._child``) over the same
protocol, only no new interpreter. For the tests of what a job does over HTTP (summary, reports,
audit, access), not of its process: a new ``python -m graphapi.ingest.load_process`` imports
graphapi, 0.7 s of CPU a job, most of a small job's cost. The process itself stays proven where
it is the subject (test_api_load_job_process.py) and by test_api_load_jobs.py's ``cdr_job``."""

from __future__ import annotations

import asyncio
import json
import os
import queue
from typing import Any

from graphapi.ingest import load_process
from graphapi.ingest.load_process import LINE_LIMIT, LoadSpec

#: What the child reads when its stdin closes (``readline`` at its end).
_CLOSED = ""


class InProcessChild:
    """What ``run_load_process`` uses of its child: ``stdin`` (the spec line, then the acks),
    ``stdout`` (the reports), ``wait``, ``terminate`` and ``kill``."""

    def __init__(self) -> None:
        self.stdout = asyncio.StreamReader(limit=LINE_LIMIT)
        self.stdin = self
        self.pid = os.getpid()
        self.returncode: int | None = None
        self._acks: queue.SimpleQueue[str] = queue.SimpleQueue()  # read in an executor thread, as stdin is
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    def write(self, data: bytes) -> None:
        if self._task is None:
            spec = LoadSpec(**json.loads(data))
            self._task = asyncio.get_running_loop().create_task(self._run(spec))
        else:
            self._acks.put(data.decode())

    async def drain(self) -> None:
        return None

    def is_closing(self) -> bool:
        return self._closed

    def close(self) -> None:
        self._closed = True
        self._acks.put(_CLOSED)  # a child waiting for an ack reads the end, as from a closed pipe

    async def _run(self, spec: LoadSpec) -> None:
        def emit(message: dict[str, Any]) -> None:
            self.stdout.feed_data((json.dumps(message, default=str) + "\n").encode())

        try:
            await load_process._child(spec, emit, self._acks.get)
            self.returncode = 0
        except asyncio.CancelledError:
            self.returncode = -15
        finally:
            self.stdout.feed_eof()

    async def wait(self) -> int | None:
        assert self._task is not None
        await asyncio.shield(self._task)
        return self.returncode

    def terminate(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._acks.put(_CLOSED)  # no executor thread stays blocked on an ack

    kill = terminate


def run_load_jobs_in_process(monkeypatch: Any) -> None:
    """Start each load job's child in this process (any other subprocess as before)."""
    spawn = asyncio.create_subprocess_exec

    async def exec_child(program: str, *args: Any, **kwargs: Any) -> Any:
        if args[:2] == ("-m", "graphapi.ingest.load_process"):
            return InProcessChild()
        return await spawn(program, *args, **kwargs)

    monkeypatch.setattr(load_process.asyncio, "create_subprocess_exec", exec_child)
