"""Who an API worker is, told apart from a later process with the same pid.

A job directory records the worker running it, so a later start sweeps the jobs of workers that are
gone. A pid alone is no name: a restarted container's API is PID 1 again, and a killed job then read
``running`` forever because the sweep took the new PID 1 for the dead one (attack round 38b, 8). A
worker is named by its pid, its start time (``/proc/<pid>/stat`` field 22, clock ticks after boot)
and the boot id, which no later process shares; where ``/proc`` is missing, by its pid alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from graphapi.store.embedded_server import pid_alive

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def _start_ticks(pid: int) -> str | None:
    """Process ``pid``'s start time after boot, in clock ticks, or None (no such process, no /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return fields[19] if len(fields) > 19 else None  # field 22 of stat; the 20th after the name


def _boot_id() -> str:
    try:
        return BOOT_ID.read_text().strip()
    except OSError:
        return "-"


def worker_identity(pid: int | None = None) -> str:
    """``"<pid> <start ticks> <boot id>"`` of process ``pid`` (default this one); ``"<pid>"`` alone
    where the start time cannot be read."""
    pid = os.getpid() if pid is None else pid
    ticks = _start_ticks(pid)
    return f"{pid} {ticks} {_boot_id()}" if ticks is not None else str(pid)


def worker_alive(recorded: str) -> bool:
    """True if the worker ``recorded`` (:func:`worker_identity`) still runs: the same pid, started at
    the same time in the same boot. A bare pid (an older layout) is alive only as another live
    process: never this one, which records its full identity."""
    parts = recorded.split()
    try:
        pid = int(parts[0])
    except (IndexError, ValueError):
        return False
    if pid <= 0:
        return False
    if len(parts) == 1:
        return pid != os.getpid() and pid_alive(pid)
    return pid_alive(pid) and worker_identity(pid) == " ".join(parts)
