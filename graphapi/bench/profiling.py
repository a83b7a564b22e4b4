"""``lintas bench --profile DIR``: a cProfile of the load and of each read operation.

Each profiled section writes ``DIR/<section>.prof`` (open with ``python -m pstats``, snakeviz or
gprof2dot) and ``DIR/<section>.txt``: the 30 functions with the most cumulative time and the 30
with the most time of their own. The bench's loader and reads run in one thread (the stores are
asyncio clients), so the profile sees all of their Python; the store server's own work runs in
another process and shows only as time waiting for its replies. Profiling slows Python down
(by half or more), so figures of a profiled run are not comparable with an unprofiled one.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import re
import time
from collections.abc import Iterator
from pathlib import Path

#: Functions listed per ordering in the text summary.
TOP = 30


class Profiler:
    """Profiles named sections into ``directory``; a no-op when ``directory`` is None.

    ``written`` lists the files written, in order (for the report).
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.written: list[str] = []

    @contextlib.contextmanager
    def section(self, name: str) -> Iterator[None]:
        """Profile the block as ``name`` (``load``, ``read-lookup``, ...), then write its files.

        Works around an ``await``: cProfile follows the thread, and the event loop runs the
        awaited work in this thread. Nested sections are not supported (Python allows one
        active profiler per thread)."""
        if self.directory is None:
            yield
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        prof = cProfile.Profile()
        cpu, wall = time.process_time(), time.perf_counter()
        prof.enable()
        try:
            yield
        finally:
            prof.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            self._write(_file_name(name), prof, cpu, wall)

    def _write(self, stem: str, prof: cProfile.Profile, cpu_s: float, wall_s: float) -> None:
        assert self.directory is not None
        prof_path, text_path = self.directory / f"{stem}.prof", self.directory / f"{stem}.txt"
        prof.dump_stats(prof_path)
        out = io.StringIO()
        out.write(f"{stem}: {wall_s:.3f} s wall, {cpu_s:.3f} s CPU of this process (profiled: slower than "
                  f"unprofiled). Full profile: {prof_path.name}\n")
        for order, title in (("cumulative", "by cumulative time"), ("tottime", "by own time")):
            out.write(f"\n=== top {TOP} {title} ===\n")
            stats = pstats.Stats(prof, stream=out)
            stats.sort_stats(order).print_stats(TOP)
        text_path.write_text(out.getvalue(), encoding="utf-8")
        self.written += [str(prof_path), str(text_path)]


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "section"
