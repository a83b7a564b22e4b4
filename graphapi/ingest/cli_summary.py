"""How a load's end reads on a terminal: its summary table (or JSON on stdout), its first
warnings, and which store it wrote to (used by ``lintas load ...``, ``graphapi/ingest/cli.py``)."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graphapi.ingest.conflict_notes import conflict_reason
from graphapi.ingest.load_summary import WRITE_COUNTS, LoadSummary

console = Console(stderr=True)


#: Warnings a summary prints (an account of an unknown bank, with its file and line); all are in the reject report.
SHOWN_WARNINGS = 10


def store_description() -> str:
    """The store a load writes to, as a person finds it again: Neo4j's URI, or the embedded
    store's data directory (a relative LINTAS_DATA_DIR is relative to where the load ran: a
    new-user report found its data in a second, empty store of another directory)."""
    from graphapi.settings import get_settings

    settings = get_settings()
    if settings.backend == "neo4j":
        return f"Neo4j at {settings.neo4j.uri} (database {settings.neo4j.database})"
    return f"the embedded store in {settings.data_dir.resolve()} (LINTAS_DATA_DIR)"


def print_summary(summary: LoadSummary, as_json: bool = False) -> None:
    """The closing summary: a table on stderr, or JSON on stdout."""
    if as_json:
        sys.stdout.write(json.dumps(summary.as_dict(), indent=2) + "\n")
        return
    table = Table(title=f"{summary.source}{' (dry run: nothing written)' if summary.dry_run else ''}")
    table.add_column("", style="bold")
    table.add_column("count", justify="right")
    d = summary.as_dict()
    for key in ("rows_read", "rows_loaded", "rows_rejected",
                "nodes_read", "nodes_created", "nodes_updated", "nodes_unchanged", "nodes_seen", "nodes_written",
                "relationships_read", "relationships_created", "relationships_updated", "relationships_unchanged",
                "relationships_seen", "relationships_written", "relationships_rejected", "statements_written",
                "statements_seen",
                "unresolved", "warnings", "dangling", "conflicts", "placeholders_excluded", "quarantined",
                "nodes_deleted", "nodes_retracted", "relationships_deleted", "relationships_retracted",
                "statements_retracted", "values_retracted",
                "seconds", "rows_per_second"):
        if key.endswith(("_deleted", "_retracted")) and not d[key]:
            continue  # delta DELs only
        if d[key] is None and key in WRITE_COUNTS:
            continue  # a dry run writes nothing and asks the store nothing: no write count to show
        table.add_row(key.replace("_", " "), f"{d[key]:,}" if isinstance(d[key], int) else str(d[key]))
    console.print(table)
    for w in summary.warned[:SHOWN_WARNINGS]:  # the rest are in the reject report
        where = f"{escape(w.file)} line {w.line}: " if w.file else ""  # a quarantined identifier's: no row
        console.print(f"[yellow]warning:[/] {where}{escape(w.reason)}", highlight=False)
    if summary.warnings > SHOWN_WARNINGS:
        console.print(f"[yellow]... and {summary.warnings - SHOWN_WARNINGS:,} more warnings in the reject report[/]")
    for c in summary.conflicted[:SHOWN_WARNINGS]:  # each one, to a cap, in the reject report
        console.print(f"[yellow]conflict:[/] {escape(c.file)} line {c.line}: {escape(conflict_reason(c))}",
                      highlight=False, soft_wrap=True)
    if (summary.conflicts or 0) > min(len(summary.conflicted), SHOWN_WARNINGS):
        console.print(f"[yellow]... {summary.conflicts:,} conflicts in all, named in the reject report[/]")
    if summary.replace_skipped and not summary.dry_run:
        console.print(f"[yellow]--replace: {summary.replace_skipped}[/]")
    console.print(f"reject report: {summary.reject_report}", soft_wrap=True, markup=False, highlight=False)
