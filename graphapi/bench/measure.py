"""Measuring helpers: latency percentiles, timed sampling loops, peak memory, the machine.

Percentiles are nearest-rank (the value at rank ``ceil(q * n)`` of the sorted samples), so
they are real observations and ``p50 <= p95 <= p99 <= max`` always holds.
"""

from __future__ import annotations

import math
import os
import platform
import resource
import subprocess
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Latency:
    """Latency summary of ``n`` samples, milliseconds."""

    n: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile ``q`` (0 < q <= 1) of already sorted values; ValueError if empty."""
    if not sorted_values:
        raise ValueError("no samples")
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarize(seconds: Sequence[float]) -> Latency:
    """Summarize latencies given in seconds; ValueError if there are none."""
    ms = sorted(s * 1000.0 for s in seconds)
    return Latency(
        n=len(ms), p50_ms=round(percentile(ms, 0.50), 3), p95_ms=round(percentile(ms, 0.95), 3),
        p99_ms=round(percentile(ms, 0.99), 3), mean_ms=round(sum(ms) / len(ms), 3), max_ms=round(ms[-1], 3),
    )


@dataclass
class Sampled:
    """Timed calls: ``seconds`` of every timed call (failed ones included: an analyst waited that
    long too) and the ``errors`` of the failed ones."""

    seconds: list[float]
    errors: list[str]


async def sample(
    op: Callable[[int], Awaitable[Any]], iterations: int, budget_s: float, warmup: int | None = None,
    min_samples: int = 10,
) -> Sampled:
    """Time ``op(i)`` calls: ``warmup`` untimed ones first (default: a fifth of ``iterations``,
    1..5, stopping early once a quarter of the budget is spent), then timed ones until
    ``iterations`` calls or ``budget_s`` seconds, but at least ``min(min_samples, iterations)``
    unless three times the budget is spent (an operation that runs into the statement timeout).
    A call that raises counts as a timed call and its error is kept; the loop goes on.
    """
    if warmup is None:
        warmup = warmup_for(iterations)
    min_samples = min(min_samples, iterations)
    start = time.perf_counter()
    for i in range(warmup):
        if time.perf_counter() - start > budget_s / 4:
            break
        try:
            await op(i)
        except Exception:  # noqa: BLE001 - counted in the timed calls below
            pass
    out = Sampled([], [])
    start = time.perf_counter()
    i = 0
    while len(out.seconds) < iterations:
        elapsed = time.perf_counter() - start
        if elapsed > 3 * budget_s or (elapsed > budget_s and len(out.seconds) >= min_samples):
            break
        t = time.perf_counter()
        try:
            await op(warmup + i)
        except Exception as exc:  # noqa: BLE001 - a failed call is a figure, not a crash
            out.errors.append(f"{type(exc).__name__}: {exc}"[:300])
        out.seconds.append(time.perf_counter() - t)
        i += 1
    return out


def warmup_for(iterations: int) -> int:
    """Untimed warm-up calls before ``iterations`` timed ones: a fifth, at least 1, at most 5."""
    return max(1, min(5, iterations // 5))


def peak_rss_mib(pid: int) -> float | None:
    """Peak resident set size (``VmHWM``) of live process ``pid`` in MiB; None if unreadable."""
    return _status_mib(pid, "VmHWM")


def rss_mib(pid: int) -> float | None:
    """Resident set size now (``VmRSS``) of live process ``pid`` in MiB; None if unreadable."""
    return _status_mib(pid, "VmRSS")


def _status_mib(pid: int, field: str) -> float | None:
    """The kB figure ``field`` of ``/proc/<pid>/status`` in MiB; None if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def process_tree(pid: int) -> list[int]:
    """``pid`` and its live descendants (uvicorn's workers under its supervisor), from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def tree_mib(pid: int, of: Callable[[int], float | None]) -> float | None:
    """``of(p)`` (:func:`rss_mib` or :func:`peak_rss_mib`) summed over ``pid``'s process tree, MiB;
    None if ``pid`` is unreadable. A sum of peaks bounds the tree's peak from above."""
    values = [of(p) for p in process_tree(pid)]
    if not values or values[0] is None:
        return None
    return round(sum(v for v in values if v is not None), 1)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of live process ``pid`` so far (``/proc/<pid>/stat``), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> float | None:
    """The 1-minute load average now, or None where the OS does not say."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def own_peak_rss_mib() -> float:
    """Peak resident set size of this process, MiB (``getrusage``; Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine() -> dict[str, Any]:
    """The machine the figures come from: CPU model, cores, memory, OS, Python."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem_gib, "os": platform.platform(),
            "python": platform.python_version(), "load_average_1m_at_start": load}


def git_commit(repo: Path) -> str | None:
    """The checked-out commit of ``repo`` (short), or None outside a git checkout."""
    try:
        out = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None
