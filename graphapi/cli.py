"""The ``lintas`` command line (typer + rich): serve, demo, init-db, schema (+ ``load`` if present).

Output meant for pipes (``lintas schema``) goes to stdout bare; progress and tables go to
stderr through rich, so ``lintas schema > schema.graphql`` writes only the SDL.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graphapi import resources
from graphapi.settings import get_settings

app = typer.Typer(
    name="lintas",
    help="Lintas: knowledge-graph investigation backend (GraphQL over Neo4j or embedded FalkorDB).",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


@app.callback()
def _settings_first() -> None:
    """Read the settings before any command, so a bad ``LINTAS_*`` value is one clear line, not a
    traceback from wherever it is first used."""
    from pydantic import ValidationError

    try:
        get_settings()
    except ValidationError as exc:
        for err in exc.errors():
            parts = [str(part) for part in err["loc"]]
            where = "_".join(parts if parts[:1] == ["neo4j"] else ["lintas", *parts]).upper()
            console.print(f"[red]configuration: {where}: {err['msg']}[/]", markup=True, highlight=False)
        raise typer.Exit(2) from None

#: Seed data shipped with the repository (seed/fixture and seed/ofac).
SEED = resources.SEED
OFAC_SDN = SEED / "ofac" / "sdn_sea_scam_subset.csv"
OFAC_ADD = SEED / "ofac" / "add_sea_scam_subset.csv"

Host = Annotated[str, typer.Option(help="Interface to listen on.")]
Port = Annotated[int, typer.Option(help="TCP port.")]


def _serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from graphapi.process_lifetime import PARENT_ENV
    from graphapi.serving import SERVED_APP

    inherited = os.environ.pop(PARENT_ENV, None)  # one from elsewhere shut a lone worker down (B7)
    if workers > 1:  # each worker dies with this supervisor (graphapi.serving.create_served_app)
        os.environ[PARENT_ENV] = str(os.getpid())
    try:
        uvicorn.run(SERVED_APP, factory=True, host=host, port=port, workers=workers)
    finally:  # as it was (a test's process kept it, and its next served app took its runner for gone)
        os.environ.pop(PARENT_ENV, None)
        if inherited is not None:
            os.environ[PARENT_ENV] = inherited


async def _init_db() -> tuple[list[str], int, list[tuple[str, str, str]]]:
    from graphapi.ingest.reference_data import captured_reference_nodes, ensure_reference_data
    from graphapi.store import open_store

    store = await open_store(get_settings())
    try:
        created = await store.init_schema()
        return created, await ensure_reference_data(store), await captured_reference_nodes(store)
    finally:
        await store.close()


def _report_init(created: list[str], reference_nodes: int = 0, captured: list[tuple[str, str, str]] = ()) -> None:
    backend = get_settings().backend
    if created:
        for item in created:
            console.print(f"  created {item}")
        console.print(f"[green]{len(created)} constraints/indexes created[/] on {backend}")
    else:
        console.print(f"[green]constraints and indexes already in place[/] on {backend}")
    if reference_nodes:
        console.print(f"  wrote {reference_nodes} gazetteer nodes (banks, checkpoints, compounds; public CLEAR)")
    for node_id, owner, tlp in captured:  # written by an agency's load before the gazetteers were
        console.print(f"[yellow]  gazetteer node {node_id} is {owner}'s at {tlp}, not public CLEAR:[/] other "
                      "agencies cannot see it or link to it until its owner widens it (share, or its load "
                      "again at --tlp CLEAR)")


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve GraphQL (GraphiQL at /graphql), /healthz and /readyz. Neo4j if NEO4J_URI is set,
    else the embedded store in LINTAS_DATA_DIR (default ./.lintas)."""
    _serve(host, port, workers)


@app.command("init-db")
def init_db() -> None:
    """Create the ontology's constraints and indexes (idempotent) and say what was created."""
    _report_init(*asyncio.run(_init_db()))


@app.command("schema")
def print_schema() -> None:
    """Print the GraphQL SDL (what schema.graphql must equal)."""
    from graphapi.schema.schema import print_sdl

    sys.stdout.write(print_sdl())


async def _seed(reset: bool) -> tuple[list[str], list[tuple[str, object]]]:
    from graphapi.ingest.fixture import load_fixture
    from graphapi.store import open_store

    store = await open_store(get_settings())
    try:
        created = await store.init_schema()
        if reset:
            await store.clear()
        counts = await load_fixture(store)
        rows: list[tuple[str, object]] = [
            ("fixture nodes written", counts.nodes_written),
            ("fixture nodes created", counts.nodes_created),
            ("fixture relationships written", counts.relationships_written),
            ("fixture relationships created", counts.relationships_created),
        ]
        if OFAC_SDN.exists():
            rows += await _seed_ofac(store)
        rows += await _seed_gazetteers(store)
        rows += await _seed_samples(store)
        return created, rows
    finally:
        await store.close()


async def _seed_ofac(store) -> list[tuple[str, object]]:
    """Load the OFAC SDN subset of seed/ofac as public CLEAR data (see seed/ofac/README.md), under
    the source ``lintas load ofac`` gives the same owner (``ofac-sdn@public``: load_source), so a
    later ``lintas load ofac --replace --source ofac-sdn`` replaces what the demo seeded instead of
    writing beside it a second source that can never retract the first (new-user trial 8)."""
    from graphapi.ingest.options import load_source
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.readers.ofac import SOURCE, read_ofac
    from graphapi.ingest.writer import Provenance

    source = load_source(None, SOURCE, "public")
    reader = read_ofac(OFAC_SDN, OFAC_ADD if OFAC_ADD.exists() else None, source=source)
    summary = await run_load(store, reader, source=source, provenance=Provenance(owner="public", tlp="CLEAR"))
    return [
        ("OFAC rows read", summary.rows_read),
        ("OFAC rows rejected", summary.rows_rejected),
        ("OFAC nodes written", summary.nodes_written),
        ("OFAC relationships written", summary.relationships_written),
    ]


async def _seed_gazetteers(store) -> list[tuple[str, object]]:
    """Load the gazetteers of seed/gazetteers (checkpoints, compounds, banks) as public CLEAR data,
    so the demo's compounds and checkpoints carry their positions and ``nearby`` finds them (the
    sample cases name Shwe Kokko; their rows resolve to the gazetteer's node)."""
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.readers.gazetteers import SOURCE, GazetteerReader
    from graphapi.ingest.writer import Provenance

    public = Provenance(owner="public", tlp="CLEAR")
    summary = await run_load(store, GazetteerReader(), source=SOURCE, provenance=public)
    return [("gazetteer nodes written", summary.nodes_written), ("gazetteer rows rejected", summary.rows_rejected)]


async def _seed_samples(store) -> list[tuple[str, object]]:
    """Load the SYNTHETIC partner-feed samples of seed/samples (calls, transfers, crossings, cases)."""
    from graphapi.ingest.service import load_demo_samples

    rejects = get_settings().data_dir / "rejects"
    summaries = await load_demo_samples(store, reject_dir=rejects)
    return [
        ("sample feed rows read", sum(s.rows_read for s in summaries)),
        ("sample feed rows rejected", sum(s.rows_rejected for s in summaries)),
        ("sample feed reject reports (why)", f"{rejects}/demo-<feed>.jsonl"),
        ("sample feed relationships written", sum(s.relationships_written or 0 for s in summaries)),
    ]


def _check_port_free(host: str, port: int) -> None:
    """Exit with a clear message before seeding if ``host:port`` is taken."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            console.print(f"[red]cannot listen on {host}:{port}: {exc.strerror}[/]; choose another with --port")
            raise typer.Exit(code=2) from None


@app.command()
def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    reset: Annotated[bool, typer.Option("--reset", help="Delete everything in the graph first.")] = False,
) -> None:
    """Apply the schema, seed the hand-checked fixture graph, the OFAC subset and the synthetic
    partner-feed samples of seed/, then serve."""
    _check_port_free(host, port)
    created, rows = asyncio.run(_seed(reset))
    _report_init(created)
    table = Table(title="seeded")
    table.add_column("what")
    table.add_column("count", justify="right")
    for what, count in rows:
        table.add_row(what, str(count))
    console.print(table)
    console.print(f"GraphiQL: [bold]http://{host}:{port}/graphql[/]")
    # anonymous = the demo principal (CLEAR/GREEN); the app says so once, as it starts
    # (graphapi.security.wiring logs demo_banner), as it does for `lintas serve` in demo mode
    os.environ["LINTAS_DEMO"] = "true"
    get_settings.cache_clear()
    _serve(host, port, 1)


if importlib.util.find_spec("graphapi.ingest.cli") is not None:
    from graphapi.ingest import cli as _ingest_cli

    if hasattr(_ingest_cli, "load_app"):
        app.add_typer(_ingest_cli.load_app, name="load")
    from graphapi.ingest.mapping_cli import mapping_app as _mapping_app

    app.add_typer(_mapping_app, name="mapping")
    from graphapi.ingest.admin_cli import admin_app as _admin_app

    app.add_typer(_admin_app, name="admin")

from graphapi.bench.cli import bench as _bench  # noqa: E402 - commands mounted after the app exists
from graphapi.bench.cli import generate as _generate  # noqa: E402
from graphapi.devserver.cli import dev_app as _dev_app  # noqa: E402
from graphapi.security.cli import register as _register_security  # noqa: E402

app.command("bench")(_bench)
_register_security(app)  # token, apikey create|revoke|list, audit verify|tail
app.command("generate")(_generate)
app.add_typer(_dev_app, name="dev")
