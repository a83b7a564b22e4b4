"""``lintas load ...``: the bulk loaders as a typer sub-app (mounted by ``graphapi/cli.py``).

Commands: ``ofac``, ``ftm``, ``csv``, ``samples`` (all four synthetic feeds of ``seed/samples``),
``generate`` (write a synthetic feed). Every load shows a progress line on stderr (``1,234 rows,
0 rejected, 5,600 rows/s``: ``cli_progress``),
writes a JSON-lines reject report, and closes with a summary table (or ``--json`` on stdout).
Every load is recorded in the audit log before it runs and when it ends (``cli_audit``: operator,
files and their SHA-256, options, counts); a load the log cannot record does not run.
Exit code 0 on success (rejected rows are reported, not fatal), 1 if the store failed or a load
read rows and loaded none of them (every row rejected: a wrong mapping or file, most likely),
2 for bad arguments.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from graphapi import resources
from graphapi.ingest.cli_audit import CliLoadAudit
from graphapi.ingest.cli_progress import add_load_tasks, load_progress, progress_updater
from graphapi.ingest.cli_summary import print_summary, store_description
from graphapi.ingest.identity.gazetteer import GazetteerError
from graphapi.ingest.load_summary import LoadSummary
from graphapi.ingest.options import (
    check_agency_id,
    check_replace,
    check_source_id,
    load_source,
    normalise_tlp,
    parse_shared_with,
)
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import Reader, ReadStats
from graphapi.ingest.readers.mapped_csv import MappingError
from graphapi.ingest.writer import Provenance
from graphapi.ontology import TLP_LEVELS
from graphapi.ontology.types.datetime import check_zone
from graphapi.private_files import open_private, private_dir
from graphapi.security.audit import AuditFault

load_app = typer.Typer(
    help="Bulk loaders: OFAC SDN, FollowTheMoney, mapped partner CSV feeds. Idempotent; rerun to resume.",
    no_args_is_help=True,
)
console = Console(stderr=True)
SEED = resources.SEED


def _usage(check: Callable[[str], str]) -> Callable[[str], str]:
    """A typer callback applying ``check`` (``graphapi.ingest.options``): a ``ValueError`` is a
    usage error, exit 2, that names the option."""
    def callback(value):
        try:
            return check(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return callback


def _shared_with(values: list[str] | None) -> list[str]:
    return list(parse_shared_with(values or []))


Owner = Annotated[str, typer.Option(callback=_usage(check_agency_id), help="Agency id owning what this load writes.")]
Tlp = Annotated[str, typer.Option(callback=_usage(normalise_tlp),
                                  help=f"TLP 2.0 level, any case: {', '.join(TLP_LEVELS)}.")]
SharedWith = Annotated[
    list[str] | None, typer.Option("--shared-with", callback=_usage(_shared_with),
                                   help="Agency id an AMBER item is shared with (repeatable, or comma-separated).")
]
BatchSize = Annotated[int | None, typer.Option(min=1, help="Rows per UNWIND batch (default LINTAS_BATCH_SIZE).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Read, validate and count; write nothing.")]
Rejects = Annotated[Path | None, typer.Option(help="Reject report path (JSON lines); default under the data dir.")]
Exclusions = Annotated[
    list[Path] | None, typer.Option("--exclusions", help="Extra placeholder exclusion YAML (repeatable).")
]
Limit = Annotated[int | None, typer.Option(min=1, help="Over-correlation limit (default from seed/exclusions policy).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")]
Source = Annotated[str | None, typer.Option(
    callback=lambda v: None if v is None else _usage(check_source_id)(v),
    help="The feed's source name: what it writes is stored under source NAME@OWNER, as an upload's source "
         "field for the same agency (default: the loader's own name, ftm, ofac-sdn or the mapping's source).")]
Replace = Annotated[bool, typer.Option(
    "--replace", help="The files are the complete new truth of the load's source (NAME@OWNER, --source given or "
                      "not): once the load has closed with no rejected row, what that source asserted before and "
                      "not now is retracted, as a DEL would. Needs --source: the loader's own name (ftm, ofac-sdn, "
                      "the mapping's source) replaces every load of this kind by OWNER that named no source.")]
PartnerOwner = Annotated[str | None, typer.Option(
    "--owner", callback=lambda v: None if v is None else _usage(check_agency_id)(v),
    help="Agency id owning what this load writes (default 'partner', an agency no analyst belongs to: with "
         "the default AMBER, nobody else sees the load; a warning says so).")]


def _check_replace(replace: bool, source: str | None, default: str) -> None:
    """A usage error for ``--replace`` without ``--source`` (:func:`graphapi.ingest.options.check_replace`)."""
    try:
        check_replace(replace, source, default, option="--source")
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--replace'") from None


def _owner_or_partner(owner: str | None, tlp: str) -> str:
    """``owner``, or the default 'partner' with a warning when nobody else would see the load."""
    if owner is not None:
        return owner
    if tlp not in ("CLEAR", "GREEN"):
        console.print(f"[yellow]warning:[/] no --owner: what this load writes is owned by 'partner' at {tlp}, "
                      "which only principals of agency 'partner' see; give --owner AGENCY (and --tlp, "
                      "--shared-with)")
    return "partner"
Operator = Annotated[str | None, typer.Option(help="Who runs the load, for the audit log (default: the OS user).")]


def _reject_path(rejects: Path | None, source: str) -> Path:
    """``rejects`` if given; else a new file ``<data dir>/rejects/<source>-<UTC time to the
    microsecond>-<pid>-<random>.jsonl``, created here (exclusively, so two runs of the same source
    started at once never share, or overwrite, a report)."""
    if rejects is not None:
        return rejects
    from graphapi.settings import get_settings

    directory = Path(get_settings().data_dir).resolve() / "rejects"  # said whole: found from anywhere
    private_dir(directory)
    while True:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f")
        path = directory / f"{source}-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}.jsonl"
        try:
            open_private(path, "x").close()
        except FileExistsError:  # pragma: no cover - a uuid4 prefix collision in the same microsecond
            continue
        return path


async def _load_all(jobs: list[tuple[Reader, dict]], dry_run: bool,
                    progress: Callable[[int, ReadStats], None]) -> list[LoadSummary]:
    """Run loads one after the other on one store connection (opened unless ``dry_run``)."""
    from graphapi.ingest.reference_data import ensure_reference_data
    from graphapi.security.runtime import audit_log
    from graphapi.settings import get_settings

    settings = get_settings()
    audit = CliLoadAudit(audit_log(settings))
    store = None
    if not dry_run:
        from graphapi.store import open_store

        store = await open_store(settings)
        await store.init_schema()
        await ensure_reference_data(store)  # before a feed names a bank or checkpoint (B1)
    out: list[LoadSummary] = []
    try:
        for i, (reader, kw) in enumerate(jobs):
            run = audit.start(kw, dry_run)  # no record, no load
            try:
                summary = await run_load(
                    store, reader, source=kw["source"],
                    provenance=Provenance(owner=kw["owner"], tlp=kw["tlp"],
                                          shared_with=tuple(kw.get("shared_with") or ())),
                    batch_size=kw.get("batch_size") or settings.batch_size, dry_run=dry_run,
                    reject_report=_reject_path(kw.get("rejects"), kw["source"]),
                    exclusions=kw.get("exclusions") or (), correlation_limit=kw.get("limit"),
                    progress=lambda stats, i=i: progress(i, stats), replace=bool(kw.get("replace")),
                )
            except BaseException as exc:
                with contextlib.suppress(OSError):  # the load's own error is the one to report
                    audit.failed(run, exc)
                raise
            audit.done(run, summary)
            out.append(summary)
    finally:
        if store is not None:
            await store.close()
    return out


def run_loads(jobs: list[tuple[Reader, str, dict]], as_json: bool, dry_run: bool) -> list[LoadSummary]:
    """Run loads ``(reader, label, options)`` with a rich progress line each (rows, rejected, rows/s) on one store
    connection, and print each summary. Exit 2 for a bad ``tlp``; 1 if the store failed, or if a
    load read rows and loaded none (every row rejected)."""
    try:
        for _, _, kw in jobs:
            kw["tlp"] = normalise_tlp(kw.get("tlp") or "")
    except ValueError as exc:
        console.print(f"[red]--tlp {exc}[/]")
        raise typer.Exit(2) from None
    with load_progress(console) as bar:
        tasks = add_load_tasks(bar, [label for _, label, _ in jobs])
        progress = progress_updater(bar, tasks)

        try:
            summaries = asyncio.run(_load_all([(r, kw) for r, _, kw in jobs], dry_run, progress))
        except AuditFault as exc:  # before the load: it did not run; after: its end is not recorded
            console.print(f"[red]load refused: the audit log cannot record it[/] ({exc.detail}); "
                          "see `lintas audit verify` and `lintas audit repair`")
            raise typer.Exit(1) from exc
        except (MappingError, GazetteerError) as exc:  # a file or gazetteer to fix: nothing to resume
            console.print(f"[red]load refused:[/] {exc}")
            raise typer.Exit(2) from exc
        except UnicodeDecodeError as exc:  # a header in another encoding: the mapping must say which
            console.print(f"[red]load refused:[/] {exc.reason}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except Exception as exc:  # store down or a batch failed: rerun resumes (idempotent)
            console.print(f"[red]load failed:[/] {exc}\nBatches written so far stay; run the same command again.")
            raise typer.Exit(1) from exc
    for summary in summaries:
        print_summary(summary, as_json)
    if not as_json:  # which store: a load run from another directory has its own
        said = "nothing written, no store read (dry run)" if dry_run else f"written to {store_description()}"
        console.print(said, soft_wrap=True, markup=False, highlight=False)
    failed = [s for s in summaries if s.rows_read and not s.rows_loaded]
    for summary in failed:  # a path is printed whole, on any terminal and in a pipe
        console.print(f"[red]{summary.source}: all {summary.rows_read:,} rows read were rejected; nothing loaded.[/] "
                      f"Reasons in {escape(str(summary.reject_report))}", soft_wrap=True, highlight=False)
    if failed:
        raise typer.Exit(1)
    return summaries


def run_with_progress(reader: Reader, label: str, as_json: bool, *, dry_run: bool = False, **kwargs) -> LoadSummary:
    """Run one load with a rich progress bar and print its summary (see :func:`run_loads`)."""
    return run_loads([(reader, label, kwargs)], as_json, dry_run)[0]


@load_app.command("ofac")
def load_ofac(
    sdn: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="OFAC sdn.csv (legacy CSV).")],
    add: Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="OFAC add.csv.")] = None,
    alt: Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="OFAC alt.csv.")] = None,
    source: Source = None, owner: Owner = "public", tlp: Tlp = "CLEAR", shared_with: SharedWith = None,
    batch_size: BatchSize = None, dry_run: DryRun = False, rejects: Rejects = None,
    exclusions: Exclusions = None, correlation_limit: Limit = None, as_json: AsJson = False,
    operator: Operator = None, replace: Replace = False,
) -> None:
    """Load OFAC SDN files: entities, Remarks facts, wallets, websites, LINKED_TO, sanctions, addresses."""
    from graphapi.ingest.readers.ofac import SOURCE, read_ofac

    _check_replace(replace, source, SOURCE)
    src = load_source(source, SOURCE, owner)
    run_with_progress(read_ofac(sdn, add, alt, source=src), "OFAC SDN", as_json, source=src, owner=owner,
                      tlp=tlp, shared_with=shared_with, batch_size=batch_size, dry_run=dry_run,
                      rejects=rejects, exclusions=exclusions, limit=correlation_limit,
                      operator=operator, loader="ofac", files=[p for p in (sdn, add, alt) if p], replace=replace)


@load_app.command("ftm")
def load_ftm(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="FtM JSON-lines or delta files.")],
    source: Source = None, owner: PartnerOwner = None, tlp: Tlp = "AMBER", shared_with: SharedWith = None,
    batch_size: BatchSize = None, dry_run: DryRun = False, rejects: Rejects = None,
    exclusions: Exclusions = None, correlation_limit: Limit = None, as_json: AsJson = False,
    operator: Operator = None, replace: Replace = False,
    tz: Annotated[str | None, typer.Option(
        callback=lambda v: None if v is None else _usage(check_zone)(v),
        help="IANA time zone of the files' dates and times without an offset (default UTC); each "
             "relationship records it in assumedTimeZone.")] = None,
) -> None:
    """Load FollowTheMoney entity files (and ADD/MOD/DEL delta files), in the order given."""
    from graphapi.ingest.readers.ftm import SOURCE, FtmReader

    owner = _owner_or_partner(owner, tlp)
    _check_replace(replace, source, SOURCE)
    src = load_source(source, SOURCE, owner)
    run_with_progress(FtmReader(files, source=src, tz=tz), "FollowTheMoney", as_json, source=src, owner=owner,
                      tlp=tlp, shared_with=shared_with, batch_size=batch_size, dry_run=dry_run,
                      rejects=rejects, exclusions=exclusions, limit=correlation_limit,
                      operator=operator, loader="ftm", files=files, replace=replace)


@load_app.command("csv")
def load_csv(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="CSV files with a header row.")],
    mapping: Annotated[str, typer.Option(help="Mapping YAML path, or a name in seed/mappings (cdr, transfers, ...).")],
    source: Source = None, owner: PartnerOwner = None, tlp: Tlp = "AMBER", shared_with: SharedWith = None,
    batch_size: BatchSize = None, dry_run: DryRun = False, rejects: Rejects = None,
    exclusions: Exclusions = None, correlation_limit: Limit = None, as_json: AsJson = False,
    operator: Operator = None, replace: Replace = False,
) -> None:
    """Load partner CSV feeds through a declarative YAML mapping (seed/mappings/*.yaml)."""

    owner = _owner_or_partner(owner, tlp)

    from graphapi.ingest.mapping.model import UNREADABLE_MAPPING, named_mappings, why_unreadable
    from graphapi.ingest.readers.mapped_csv import MappedCsvReader, MappingError, load_mapping

    try:
        m = load_mapping(mapping)
    except (MappingError, FileNotFoundError) as exc:
        console.print(f"[red]bad mapping:[/] {exc}")
        raise typer.Exit(2) from exc
    except OSError as exc:  # a directory, no permission, ...
        raise typer.BadParameter(f"cannot read mapping {mapping}: {exc.strerror or exc}",
                                 param_hint="'--mapping'") from None
    except UNREADABLE_MAPPING as exc:
        # load_mapping expects a YAML document with `entities` (a mapping of specs) and
        # `relationships` (a list); anything else fails somewhere inside it.
        known = ", ".join(named_mappings())  # shipped, partners/ layouts and the deployment's own
        raise typer.BadParameter(f"not a mapping file: {mapping} ({why_unreadable(exc)}); give a mapping YAML or "
                                 f"one of {known}", param_hint="'--mapping'") from None
    _check_replace(replace, source, m.source)
    try:  # a mapping's own source name is the default, as for an upload naming it
        src = load_source(source, m.source, owner)
    except ValueError as exc:
        raise typer.BadParameter(f"the mapping's source: {exc}", param_hint="'--mapping'") from None
    from graphapi.ingest.guard import load_exclusions

    # the reader asks the same lists as the guard whether an event's end is a placeholder
    reader = MappedCsvReader(m, files, source=src, exclusions=load_exclusions(exclusions or ()))
    run_with_progress(reader, f"CSV {m.name}", as_json, source=reader.source, owner=owner, tlp=tlp,
                      shared_with=shared_with, batch_size=batch_size, dry_run=dry_run, rejects=rejects,
                      exclusions=exclusions, limit=correlation_limit,
                      operator=operator, loader="csv", mapping=m.name, files=files, replace=replace)


@load_app.command("gazetteers")
def load_gazetteers(
    owner: Owner = "public", tlp: Tlp = "CLEAR", batch_size: BatchSize = None,
    dry_run: DryRun = False, as_json: AsJson = False, operator: Operator = None,
) -> None:
    """Load the gazetteers (seed/gazetteers, LINTAS_GAZETTEERS): checkpoints, compounds and banks
    as the nodes a feed's names resolve to."""
    from graphapi.ingest.identity.gazetteer import KINDS, gazetteer_paths
    from graphapi.ingest.readers.gazetteers import SOURCE, GazetteerReader

    files = [p for kind in KINDS for p in gazetteer_paths(kind)]
    run_with_progress(GazetteerReader(), "gazetteers", as_json, source=SOURCE, owner=owner, tlp=tlp,
                      batch_size=batch_size, dry_run=dry_run, operator=operator, loader="gazetteers", files=files)


@load_app.command("samples")
def load_samples(
    owner: Owner = "partner", tlp: Tlp = "GREEN", batch_size: BatchSize = None,
    dry_run: DryRun = False, as_json: AsJson = False, operator: Operator = None,
) -> None:
    """Load the four synthetic sample feeds of seed/samples with their mappings (demo data)."""
    from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
    from graphapi.ingest.synthetic import FEEDS

    jobs = []
    for feed in FEEDS:
        path = SEED / "samples" / f"{feed}.synthetic.csv"
        reader = MappedCsvReader(load_mapping(feed), [path])
        jobs.append((reader, f"sample {feed}", {"source": reader.source, "owner": owner, "tlp": tlp,
                                                "batch_size": batch_size, "operator": operator,
                                                "loader": "samples", "mapping": feed, "files": [path]}))
    run_loads(jobs, as_json, dry_run)


@load_app.command("generate")
def generate(
    feed: Annotated[str, typer.Argument(help="cdr | transfers | crossings | cases")],
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    rows: Annotated[int, typer.Option(min=1, help="Data rows to write.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same bytes.")] = 20260301,
) -> None:
    """Write a SYNTHETIC partner feed (fixed seed) for demos and benchmarks."""
    from graphapi.ingest.synthetic import FEEDS, generate_feed

    if feed not in FEEDS:
        console.print(f"[red]unknown feed {feed!r}[/]; one of {', '.join(FEEDS)}")
        raise typer.Exit(2)
    generate_feed(feed, rows, out, seed=seed)
    console.print(f"wrote {rows:,} synthetic {feed} rows to {out}")
