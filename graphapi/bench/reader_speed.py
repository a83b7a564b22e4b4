"""The reader's own cost on the call-record feed: ``lintas bench --only reader``.

The mapped-CSV reader alone (no guard, no writer, no store) reads the bench's CDR feed through
its mapping (``graphapi/bench/mappings/cdr.yaml``: a value map and a condition on ``call_type``,
transforms on the numbers and the cell id), first once to warm the memo of cleaned values, then
``passes`` times. The figure is the best pass's CPU time of this process per row (``time.process_time``):
wall time moves with whatever else a shared machine runs, CPU time much less, and the best pass
is the one least disturbed. Issue 13 asks for at most 20 µs a row.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping

#: The bound issue 13 sets for the reader on the call-record feed with a warm memo.
READER_BOUND_US = 20.0
#: Passes measured after the warm-up one.
PASSES = 5


def reader_speed(mapping: Path, feed: Path, passes: int = PASSES) -> dict[str, Any]:
    """``{feed, rows, rejected, passes, reader_us_per_row (best pass, CPU time), cpu_us_per_row
    (every pass), rows_per_cpu_s, bound_us}`` for ``feed`` read through ``mapping``."""
    compiled = load_mapping(mapping)
    _read(compiled, feed)  # warms the memo of cleaned values, as a long feed's later rows find it
    per_row: list[float] = []
    rows = rejected = 0
    for _ in range(passes):
        cpu, rows, rejected = _read(compiled, feed)
        per_row.append(1e6 * cpu / rows if rows else 0.0)
    best = min(per_row)
    return {"feed": feed.name, "mapping": mapping.name, "rows": rows, "rejected": rejected, "passes": passes,
            "reader_us_per_row": round(best, 2), "cpu_us_per_row": [round(x, 2) for x in per_row],
            "rows_per_cpu_s": round(1e6 / best, 1) if best else None, "bound_us": READER_BOUND_US}


def _read(compiled: Any, feed: Path) -> tuple[float, int, int]:
    """One whole pass of the reader over ``feed``: ``(CPU seconds, rows, rows rejected)``."""
    reader = MappedCsvReader(compiled, [feed])
    started = time.process_time()
    for _ in reader.records():
        pass
    return time.process_time() - started, reader.stats.rows, reader.stats.rejected
