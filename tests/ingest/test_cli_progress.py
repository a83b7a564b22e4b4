"""The progress line of a ``lintas load`` reads as a sentence (new-user report 51: it printed
``- rows/s 1 rejected``): rows, then rejected, then the rate once it is known. The line is built
as text, so nothing here depends on a terminal's width or on being a TTY."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from rich.console import Console

from graphapi.ingest.cli_progress import RateClock, add_load_tasks, load_progress, progress_text, progress_updater
from graphapi.ingest.readers.base import ReadStats


def test_progress_line_says_rows_then_rejected_then_rate():
    assert progress_text(1234, 0, 5600.4) == "1,234 rows, 0 rejected, 5,600 rows/s"


def test_progress_line_leaves_the_rate_out_until_it_is_known():
    assert progress_text(0, 1, None) == "0 rows, 1 rejected"


def test_one_row_is_a_row():
    assert progress_text(1, 0, None) == "1 row, 0 rejected"


def test_rate_is_unknown_at_the_first_report_and_counts_rows_since_it():
    times = iter([datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=2)])
    clock = RateClock(now=lambda: next(times))
    assert clock.rate(0, 1_000) is None
    assert clock.rate(0, 12_000) == 5_500


def test_rendered_line_has_no_dangling_rate_or_rejected_column():
    out = io.StringIO()
    console = Console(file=out, width=200, force_terminal=False, color_system=None)
    with load_progress(console) as bar:
        update = progress_updater(bar, add_load_tasks(bar, ["partner.csv"]))
        stats = ReadStats()
        stats.rows, stats.rejected = 4, 1
        update(0, stats)
    text = out.getvalue()
    assert "partner.csv" in text and "4 rows, 1 rejected" in text
    assert "- rows/s" not in text and "rows/s 1" not in text
