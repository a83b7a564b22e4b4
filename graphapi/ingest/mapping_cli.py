"""``lintas mapping ...``: try a partner-feed mapping on a file without a store (``check``) and
draft one from a file (``init``); mounted by ``graphapi/cli.py``. See docs/mappings.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graphapi.ingest.mapping import MappingError, load_mapping
from graphapi.ingest.mapping.model import UNREADABLE_MAPPING, why_unreadable
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

mapping_app = typer.Typer(help="Try a partner-feed mapping on a file (check) or draft one from a file (init).",
                          no_args_is_help=True)
console = Console(stderr=True)
Files = Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="CSV files with a header row.")]


def _describe(item: NodeRecord | EdgeRecord) -> str:
    props = ", ".join(f"{k}={v!r}" for k, v in item.properties.items())
    if isinstance(item, NodeRecord):
        return f"  {item.label} {item.id} {{{props}}}"
    return f"  ({item.start})-[{item.type}]->({item.end}) {{{props}}}"


@mapping_app.command("check")
def check(
    files: Files,
    mapping: Annotated[str, typer.Option(help="Mapping YAML path, or a name in seed/mappings (cdr, transfers, ...).")],
    rows: Annotated[int, typer.Option(min=0, help="Rows to show as the records they would become.")] = 10,
) -> None:
    """Preview FILES read with MAPPING, writing nothing (no store): the records the first ROWS rows
    would become, every row that would be rejected and why, every warning (an account of a bank no
    gazetteer knows, the records that span lines in multi-line framing), the framing if the mapping
    does not say it, and the counts. Exit 2 if the mapping
    or a file's header is refused, 1 if every row would be rejected."""
    from graphapi.ingest.readers.mapped_csv import MappedCsvReader

    try:
        m = load_mapping(mapping)
    except (MappingError, FileNotFoundError) as exc:
        console.print(f"[red]bad mapping:[/] {exc}")
        raise typer.Exit(2) from exc
    except UNREADABLE_MAPPING as exc:  # a traceback for YAML nested too deep (attack round 19, M1)
        console.print(f"[red]bad mapping:[/] {mapping}: {why_unreadable(exc)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    reader = MappedCsvReader(m, files)
    rejected: list[Rejection] = []
    shown, last = 0, None
    try:
        for item in reader.records():
            if isinstance(item, Rejection):
                rejected.append(item)
                continue
            where = (item.origin.file, item.origin.line)
            if where != last:
                last, shown = where, shown + 1
                if shown <= rows:
                    typer.echo(f"{item.origin.file} line {item.origin.line}:")
            if shown <= rows:
                typer.echo(_describe(item))
    except MappingError as exc:  # a file whose header lacks a mapped column
        console.print(f"[red]refused:[/] {exc}")
        raise typer.Exit(2) from exc
    except UnicodeDecodeError as exc:  # a header in another encoding: refused as `lintas load csv` refuses it
        console.print(f"[red]refused:[/] {exc.reason}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    for rej in rejected:
        typer.echo(f"rejected {rej.file} line {rej.line}: {rej.reason}")
    s = reader.stats
    for warning in s.warnings:  # loaded, but for review: an account of a bank no gazetteer knows
        typer.echo(f"warning {warning.file} line {warning.line}: {warning.reason}")
    for file, line, what in reader.skipped:  # no data, so in no count: said here
        typer.echo(f"skipped {file} line {line}: {what}, not a data row")
    for rel_type, key in reader.keyed_by_name.items():  # the store alone can tell it merged; say it may
        typer.echo(f"note: {rel_type} is keyed {key!r}, by the file's name: a later file of the same name (next "
                   "month's export) would be merged into this one's rows (right for a log that grows in place); key "
                   "exports by {_sha256}:{_line}")
    if "records" not in (m.doc.get("csv") or {}):  # the framing it was read with, which it does not say
        typer.echo("note: the mapping says no csv: records, so each record is one line (single-line, the default): a "
                   "line whose quote is not closed on it is rejected; an export with line breaks inside quoted fields "
                   "(notes, addresses) says csv: {records: multi-line}")
    typer.echo(f"rows read {s.rows} = loaded {s.rows - s.rejected} + rejected {s.rejected}; nothing written")
    if s.rows and s.rejected == s.rows:
        raise typer.Exit(1)


@mapping_app.command("init")
def init(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A CSV file (a header row or none).")],
    rows: Annotated[int, typer.Option(min=1, help="Rows to sample for the column guesses.")] = 200,
    out: Annotated[Path | None, typer.Option(help="Write the draft here instead of stdout.")] = None,
    header: Annotated[bool | None, typer.Option(
        "--header/--no-header", help="Whether FILE's first row names its columns; default: it does "
        "unless it looks like data (numbers, dates, phone numbers).")] = None,
    country: Annotated[str | None, typer.Option(
        help="The country of national-format phone numbers a row does not give (the partner's, e.g. KH): the "
             "default of the operator's country column, or the hint itself without one.")] = None,
) -> None:
    """Draft a mapping for FILE from its header and a sample of its values: phone numbers, IBANs,
    IMEIs, passport numbers, dates, countries and amounts recognised with the ontology's value types, TODO
    comments for the rest. A file whose first row looks like data is drafted as one without a
    header (``csv: {header: false}``, columns by position) and said so."""
    from graphapi.ingest.mapping.column_guess import first_row
    from graphapi.ingest.mapping.draft import draft_mapping
    from graphapi.ingest.mapping.header import starts_with_data
    from graphapi.ontology.types import get_type

    if country is not None and not (code := get_type("country").clean(country)):
        console.print(f"[red]--country {country!r}:[/] no country (a code or a name: KH, Cambodia)", highlight=False)
        raise typer.Exit(2)
    country = code if country is not None else None

    if header is None and starts_with_data(file):
        cells = first_row(file)
        header = False
        console.print(f"{file.name} has no header row, it seems: its first row looks like data "
                      f"({', '.join(repr(c[:40]) for c in cells[:4])}{', ...' if len(cells) > 4 else ''}). The "
                      'draft says csv: {header: false} and names the columns by position ({column: "1"} is the '
                      "first); if the first row is a header after all, run this again with --header.",
                      markup=False, soft_wrap=True)  # one line, whatever the terminal width
    text = draft_mapping(file, rows, header, country)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"draft written to {out}; check it with: lintas mapping check --mapping {out} {file}")
