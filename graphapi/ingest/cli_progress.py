"""The progress line of a ``lintas load`` (stderr): ``OFAC SDN  1,234 rows, 0 rejected, 5,600
rows/s``, the rate only once it is known (from the second report on: the first one starts the
clock, so the store's start is not counted). One text column, so no column of a rich bar stands
alone as ``- rows/s`` or ``rows/s 0 rejected`` (new-user report 51)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from graphapi.ingest.readers.base import ReadStats


def progress_text(rows: int, rejected: int, rate: float | None) -> str:
    """``"1,234 rows, 0 rejected, 5,600 rows/s"``; without the rate while it is unknown (None)."""
    text = f"{rows:,} row{'' if rows == 1 else 's'}, {rejected:,} rejected"
    return text if rate is None else f"{text}, {rate:,.0f} rows/s"


class RateClock:
    """The rows/s of each load from its first progress report (None until a later one)."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now, self._first = now, {}

    def rate(self, i: int, rows: int) -> float | None:
        now = self._now()
        t0, r0 = self._first.setdefault(i, (now, rows))
        secs = (now - t0).total_seconds()
        return (rows - r0) / secs if secs > 0 else None


def load_progress(console: Console) -> Progress:
    """A rich progress display of one line per load: spinner, label, :func:`progress_text`, time."""
    return Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), TextColumn("{task.fields[line]}"),
                    TimeElapsedColumn(), console=console, transient=False)


def progress_updater(bar: Progress, tasks: list, clock: RateClock | None = None) -> Callable[[int, ReadStats], None]:
    """The ``progress(i, stats)`` callback of the loads behind ``tasks`` (one per load, in order)."""
    clock = clock or RateClock()

    def progress(i: int, stats: ReadStats) -> None:
        line = progress_text(stats.rows, stats.rejected, clock.rate(i, stats.rows))
        bar.update(tasks[i], completed=stats.rows, line=line)

    return progress


def add_load_tasks(bar: Progress, labels: list[str]) -> list:
    """One task per load label, its line saying no rows yet."""
    return [bar.add_task(label, total=None, line=progress_text(0, 0, None)) for label in labels]
