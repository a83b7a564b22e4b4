"""Typer commands ``lintas bench`` and ``lintas generate`` (mounted by ``graphapi/cli.py``).

Mount with ``app.command("bench")(bench)`` and ``app.command("generate")(generate)``, or with
``app.add_typer(bench_app, name="bench")`` / ``app.add_typer(generate_app, name="generate")``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graphapi.bench.config import OPERATIONS, QUICK_SCALE, SECTIONS, BenchConfig, BenchError
from graphapi.bench.generate import DEFAULT_SEED
from graphapi.bench.generate import generate as generate_feeds

console = Console(stderr=True)

Scale = Annotated[float, typer.Option(help="Graph size: 1 = 1M nodes / 5M relationships.", min=0.00001)]
Seed = Annotated[int, typer.Option(help="Generator seed (fixed by default, so runs are comparable).")]


def bench(
    scale: Scale = QUICK_SCALE,
    backend: Annotated[str, typer.Option(
        help="embedded (FalkorDB, default), neo4j (NEO4J_URI; unset: Neo4j started by the project's launcher, "
             "a source checkout with a JDK and Maven) or both (same workload, side by side).")] = "embedded",
    only: Annotated[list[str] | None, typer.Option(
        help=f"Run only these (repeat or comma-separate): {', '.join(SECTIONS + OPERATIONS)}.")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Also write the figures as JSON here.")] = None,
    markdown: Annotated[Path | None, typer.Option(help="Also write the figures as Markdown tables here.")] = None,
    root: Annotated[Path, typer.Option(help="The bench's own directory (feeds, store data).")] = Path(".lintas/bench"),
    seed: Seed = DEFAULT_SEED,
    iterations: Annotated[int, typer.Option(min=1, help="Samples per operation at most.")] = 200,
    budget: Annotated[float, typer.Option(min=0.1, help="Seconds per operation (up to 3x if slow).")] = 5.0,
    rounds: Annotated[int, typer.Option(min=1, help="Reads and analytics: sample each operation this many times "
                                                    "over, interleaved, and report the best round (best of N).")] = 3,
    clients: Annotated[int, typer.Option(min=1, help="Concurrent clients of the throughput and soak mix.")] = 8,
    duration: Annotated[float, typer.Option(min=0.1, help="Seconds of the throughput run.")] = 10.0,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes of the API server "
                                                     "(as lintas serve --workers).")] = 1,
    soak_s: Annotated[float | None, typer.Option(
        "--soak-s", min=1, help="Run the soak section (off by default) for this many seconds: the throughput "
                                "mix while API and store memory are sampled. --only soak alone: 600.")] = None,
    soak_sample_s: Annotated[float, typer.Option(
        "--soak-sample-s", min=0.1, help="Seconds between two memory samples of the soak.")] = 10.0,
    batch_size: Annotated[int, typer.Option(min=1, help="Loader UNWIND batch size.")] = 5_000,
    clear_neo4j: Annotated[bool, typer.Option(help="Allow clearing a non-empty Neo4j database.")] = False,
    profile: Annotated[Path | None, typer.Option(
        help="Write a cProfile of the load and of each read operation here (<section>.prof and a "
             "top-30 <section>.txt); profiled figures run slower.")] = None,
) -> None:
    """Measure load rate, read and analytics latencies, GraphQL overhead, round trips, throughput and memory
    (and, when asked, memory over a soak).

    Uses its own data under --root, never your graph. The default scale finishes in minutes on
    2 cores; figures are printed beside published anchors and optionally written as JSON.
    """
    from graphapi.bench.children import Terminated, until_terminated
    from graphapi.bench.report import print_report, to_markdown, write_json
    from graphapi.bench.runner import run_bench

    names = frozenset(x.strip() for item in (only or []) for x in item.split(",") if x.strip()) or None
    cfg = BenchConfig(scale=scale, backend=backend, only=names, root=root, seed=seed, iterations=iterations,
                      op_budget_s=budget, rounds=rounds, clients=clients, throughput_s=duration, batch_size=batch_size,
                      clear_neo4j=clear_neo4j, profile_dir=profile, workers=workers, soak_s=soak_s,
                      soak_sample_s=soak_sample_s)
    try:
        with console.status("bench") as status:
            result = asyncio.run(until_terminated(run_bench(cfg, progress=lambda msg: status.update(msg))))
    except BenchError as exc:
        console.print(f"[red]bench: {exc}[/]")
        raise typer.Exit(2) from None
    except Terminated:
        console.print("[red]bench: stopped (SIGTERM); the servers it started are stopped[/]")
        raise typer.Exit(143) from None
    print_report(result)  # stdout, as wide as its tables: the same on a terminal and in a pipe
    if profile is not None:
        console.print(f"Profiles (cProfile: <section>.prof, top 30 in <section>.txt) written to {profile}")
    if json_file is not None:
        write_json(result, json_file)
        console.print(f"JSON written to {json_file}")
    if markdown is not None:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(to_markdown(result) + "\n", encoding="utf-8")
        console.print(f"Markdown written to {markdown}")


def generate(
    out: Annotated[Path, typer.Option(help="Directory for the feed CSVs and manifest.json.")] = Path(
        ".lintas/bench/feeds/generated"),
    scale: Scale = QUICK_SCALE,
    seed: Seed = DEFAULT_SEED,
) -> None:
    """Write the synthetic syndicate partner feeds (CDR, transfers, crossings, KYC) at --scale."""
    manifest = generate_feeds(out, scale, seed)
    for feed, rows in manifest.rows.items():
        console.print(f"  {manifest.files[feed]:<24} {rows:>12,} rows")
    console.print(f"[green]{manifest.nodes:,} nodes and {manifest.relationships:,} relationships[/] in {out}")


#: ``lintas bench`` as a mountable app: its callback is the command, so ``add_typer(..., name="bench")``
#: gives ``lintas bench --scale ...`` (not ``lintas bench bench``).
bench_app = typer.Typer(add_completion=False, no_args_is_help=False)
bench_app.callback(invoke_without_command=True)(bench)
generate_app = typer.Typer(add_completion=False, no_args_is_help=False)
generate_app.callback(invoke_without_command=True)(generate)
