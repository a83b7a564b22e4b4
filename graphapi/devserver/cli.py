"""``lintas dev neo4j``: run the test launcher's Neo4j in the foreground (a source checkout)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

dev_app = typer.Typer(help="Developer tools (a source checkout with a JDK and Maven).", no_args_is_help=True)
console = Console(stderr=True)


@dev_app.command("neo4j")
def neo4j(
    home: Annotated[Path, typer.Option(help="Neo4j's store and logs (kept between runs).")] = Path(".lintas/neo4j"),
    heap: Annotated[str, typer.Option(help="JVM heap limit (-Xmx).")] = "1g",
    page_cache_mib: Annotated[int, typer.Option(help="Neo4j page cache, MiB.")] = 64,
) -> None:
    """Start Neo4j Community on 127.0.0.1 (a free port, no authentication), print its Bolt URI
    on stdout, and keep it running until Ctrl-C or stdin closes. The first run downloads Neo4j
    (~130 MB) into ~/.m2 through Maven."""
    import sys

    from graphapi.devserver.neo4j import Neo4jLaunchError, start

    console.print(f"starting Neo4j in {home} ...")
    try:
        server = start(home, heap=heap, page_cache_mib=page_cache_mib)
    except Neo4jLaunchError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(code=1) from None
    print(server.uri, flush=True)
    console.print(f"Neo4j up in {server.started_in_s:.1f} s; in another shell: export NEO4J_URI={server.uri}")
    console.print("Ctrl-C (or closing stdin) stops it cleanly (~10 s).")
    try:
        while sys.stdin.readline():
            pass
    except KeyboardInterrupt:
        pass
    finally:
        console.print("stopping Neo4j ...")
        server.stop()
