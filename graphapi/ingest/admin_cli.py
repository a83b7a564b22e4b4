"""``lintas admin``: operator commands on the store's own bookkeeping.

``lintas admin pending`` lists the pending retraction marks (id, kind, source, owner, items, age
since the first failed finish, attempts, last error, the earlier mark it waits for) and the identifiers
noted for a quarantine recount (id ``quarantine``); ``--retry ID`` finishes one now (or recounts);
``--drop ID --reason TEXT`` deletes one unfinished, audited (:mod:`graphapi.ingest.pending_admin`).
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graphapi.ingest.cli_audit import os_user
from graphapi.ingest.pending_admin import PendingMark, drop_mark, list_marks, recount_now, retry_mark
from graphapi.ingest.pending_recounts import RECOUNT_ID

admin_app = typer.Typer(help="Operator commands on the store's bookkeeping (pending marks).", no_args_is_help=True)
console = Console(stderr=True)


async def _run(retry: str | None, drop: str | None, reason: str, operator: str) -> tuple[list[PendingMark], str]:
    from graphapi.security.runtime import audit_log
    from graphapi.settings import get_settings
    from graphapi.store import open_store

    settings = get_settings()
    store = await open_store(settings)
    try:
        await store.init_schema()  # as a load does: a fresh data directory has no graph to read yet
        said = ""
        if retry == RECOUNT_ID:
            said = f"{len(await recount_now(store))} noted quarantined identifiers recounted"
        elif retry is not None:
            finished = await retry_mark(store, retry)
            said = (f"mark {retry} finished" if finished.done
                    else f"mark {retry} still stuck: {finished.stuck[0].error}")
        elif drop is not None:
            dropped = await drop_mark(store, drop, audit=audit_log(settings), operator=operator, reason=reason)
            said = f"mark {drop} dropped unfinished ({dropped.items} items of {dropped.source or '-'}), audited"
        return await list_marks(store), said
    finally:
        await store.close()


@admin_app.command("pending")
def pending(
    retry: Annotated[str | None, typer.Option("--retry", help="finish this mark now")] = None,
    drop: Annotated[str | None, typer.Option("--drop", help="delete this mark unfinished (audited)")] = None,
    reason: Annotated[str, typer.Option("--reason", help="why the mark is dropped (required with --drop)")] = "",
    operator: Annotated[str | None, typer.Option("--operator", help="who decides (default: the OS user)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per mark on stdout")] = False,
) -> None:
    """List the pending retraction marks; retry or drop one."""
    if retry is not None and drop is not None:
        raise typer.BadParameter("--retry or --drop, not both")
    if drop is not None and not reason.strip():
        raise typer.BadParameter("--drop needs --reason: the batch's rest is left undone")
    if drop == RECOUNT_ID:
        raise typer.BadParameter("the noted recount is not dropped: --retry it (it changes no statement)")
    try:
        marks, said = asyncio.run(_run(retry, drop, reason, operator or os_user()))
    except KeyError as exc:
        console.print(f"[red]no pending mark {escape(str(exc.args[0]))}[/]")
        raise typer.Exit(1) from None
    if said:
        console.print(escape(said))
    if as_json:
        for mark in marks:
            typer.echo(json.dumps(mark.as_json()))
        return
    table = Table("id", "kind", "source", "owner", "items", "age (s)", "attempts", "last error", "waits for")
    for m in marks:
        age = m.age_s()
        table.add_row(m.id, m.kind, m.source, m.owner, str(m.items), "-" if age is None else str(age),
                      str(m.attempts), escape(m.last_error or ""), m.waits_for or "")
    console.print(table if marks else "no pending marks")
