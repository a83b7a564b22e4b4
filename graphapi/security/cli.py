"""Security commands for the ``lintas`` CLI: ``token``, ``apikey create|revoke|list``,
``audit verify|tail|repair``. :func:`register` mounts them on the main typer app.

Secrets go to stdout bare (``lintas token ... > token.txt``); messages go to stderr.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from graphapi.security.apikeys import ApiKeyError, ApiKeyStore
from graphapi.security.audit import AuditFault, AuditLog
from graphapi.security.audit_anchor import verify_anchor
from graphapi.security.audit_repair import RepairRefused, repair_log
from graphapi.security.audit_verify import verify_log
from graphapi.security.auth import apikey_path
from graphapi.security.principal import ROLES
from graphapi.security.runtime import audit_path
from graphapi.security.tokens import mint_token
from graphapi.settings import get_settings

#: soft_wrap: a message is never folded at the terminal's width (paths and "line N" stay whole on
#: one line, whatever COLUMNS is or whether stderr is a TTY).
console = Console(stderr=True, soft_wrap=True)

apikey_app = typer.Typer(help="Manage API keys (stored hashed in LINTAS_APIKEY_FILE).", no_args_is_help=True)
audit_app = typer.Typer(help="Check and read the hash-chained audit log.", no_args_is_help=True)

Role = Annotated[list[str] | None, typer.Option("--role", "-r", help=f"Role, repeatable: {', '.join(ROLES)}.")]
Agency = Annotated[str | None, typer.Option(help="Agency id, e.g. TH-DSI.")]
Country = Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 country of the agency.")]


def _roles(roles: list[str] | None) -> list[str]:
    chosen = roles or ["analyst"]
    unknown = [r for r in chosen if r not in ROLES]
    if unknown:
        raise typer.BadParameter(f"unknown roles {unknown}; known: {', '.join(ROLES)}")
    return chosen


def token(
    subject: Annotated[str, typer.Argument(help="The user id (sub claim).")],
    agency: Agency = None,
    country: Country = None,
    role: Role = None,
    ttl: Annotated[int, typer.Option(min=60, help="Lifetime in seconds.")] = 3600,
    private_key: Annotated[
        Path | None, typer.Option(help="RS256 private key (PEM) instead of LINTAS_JWT_SECRET.")
    ] = None,
    kid: Annotated[str | None, typer.Option(help="Key id (kid header) for RS256.")] = None,
) -> None:
    """Mint a development JWT (HS256 with LINTAS_JWT_SECRET, or RS256 with --private-key) for
    LINTAS_JWT_AUDIENCE; print it to stdout."""
    settings = get_settings()
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    if private_key is None and not secret:
        console.print("[red]set LINTAS_JWT_SECRET or pass --private-key[/]")
        raise typer.Exit(2)
    try:
        value = _mint(subject, secret, private_key, kid, agency, country, role, settings, ttl)
    except ValueError as exc:  # an agency or country that is not an id: a usage error, not a crash
        raise typer.BadParameter(str(exc)) from None
    sys.stdout.write(value + "\n")
    console.print(f"token for {subject} ({agency or 'no agency'}), valid {ttl} s, audience {settings.jwt_audience}")


def _mint(subject: str, secret: str | None, private_key: Path | None, kid: str | None, agency: str | None,
          country: str | None, role: list[str] | None, settings: Any, ttl: int) -> str:
    return mint_token(
        subject,
        secret=None if private_key else secret,
        private_key_pem=private_key.read_text(encoding="utf-8") if private_key else None,
        kid=kid,
        agency=agency,
        country=country,
        roles=_roles(role),
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
        ttl_s=ttl,
    )


@apikey_app.command("create")
def apikey_create(
    subject: Annotated[str, typer.Argument(help="Who the key stands for (user or service id).")],
    agency: Agency = None,
    country: Country = None,
    role: Role = None,
) -> None:
    """Create a key; the key is printed once to stdout and only its hash is kept."""
    store = ApiKeyStore(apikey_path(get_settings()))
    key, rec = store.create(subject, agency=agency, country=country, roles=_roles(role))
    sys.stdout.write(key + "\n")
    console.print(f"API key {rec.key_id} for {subject} ({agency or 'no agency'}): store it now, it is not shown again")


@apikey_app.command("revoke")
def apikey_revoke(key_id: Annotated[str, typer.Argument(help="The key id (the part after lnt_).")]) -> None:
    """Revoke a key by its id."""
    try:
        rec = ApiKeyStore(apikey_path(get_settings())).revoke(key_id)
    except ApiKeyError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    console.print(f"API key {rec.key_id} ({rec.subject}) revoked at {rec.revoked}")


@apikey_app.command("list")
def apikey_list() -> None:
    """List keys (ids, subjects, agencies, roles, created, revoked); never the keys themselves."""
    for rec in ApiKeyStore(apikey_path(get_settings())).list():
        state = f"revoked {rec.revoked}" if rec.revoked else "active"
        sys.stdout.write(
            f"{rec.key_id}\t{rec.subject}\t{rec.agency or '-'}\t{','.join(rec.roles) or '-'}\t{rec.created}\t{state}\n"
        )


@audit_app.command("verify")
def audit_verify(
    file: Annotated[Path | None, typer.Option(help="Log file; default LINTAS_AUDIT_FILE.")] = None,
    anchor: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False,
                                  help="Checkpoint file (LINTAS_AUDIT_ANCHOR_FILE, or saved syslog lines) to check "
                                       "the log against; signatures checked with LINTAS_AUDIT_ANCHOR_KEY when set.")
    ] = None,
) -> None:
    """Walk the hash chain; exit 1 naming the first edited, removed or reordered line, or (with
    --anchor) a checkpoint the log no longer holds."""
    settings = get_settings()
    path = file or audit_path(settings)
    result = verify_log(path)
    if not result.ok:
        where = f"line {result.line}: " if result.line else ""
        console.print(f"[red]audit log BROKEN[/] ({path}): {where}{result.problem}; "
                      f"{result.lines} lines verified before")
        raise typer.Exit(1)
    anchored = ""
    if anchor is not None:
        key = settings.audit_anchor_key.get_secret_value().encode() if settings.audit_anchor_key else None
        check = verify_anchor(path, anchor, key)
        if not check.ok:
            console.print(f"[red]audit log BROKEN[/] ({path}) against anchor {anchor}: {check.problem}")
            raise typer.Exit(1)
        anchored = f"; {check.checkpoints} anchor checkpoints hold{'' if key else ' (signatures not checked: no key)'}"
    console.print(f"[green]audit log intact[/]: {result.lines} lines, head {result.head_hash or '-'}{anchored}")


@audit_app.command("tail")
def audit_tail(
    n: Annotated[int, typer.Option("-n", min=1, help="Entries to show.")] = 20,
    file: Annotated[Path | None, typer.Option(help="Log file; default LINTAS_AUDIT_FILE.")] = None,
) -> None:
    """Print the last ``n`` entries as JSON lines."""
    from collections import deque

    for entry in deque(AuditLog(file or audit_path(get_settings())).entries(), maxlen=n):
        sys.stdout.write(json.dumps(entry, ensure_ascii=False) + "\n")


@audit_app.command("repair")
def audit_repair(
    file: Annotated[Path | None, typer.Option(help="Log file; default LINTAS_AUDIT_FILE.")] = None,
    operator: Annotated[str | None, typer.Option(help="Who repairs (recorded); default the OS user.")] = None,
    rebuild_head: Annotated[bool, typer.Option(
        help="A head that cannot be read is rebuilt from the log when its whole chain verifies (compare it "
             "with the audit anchor: the chain cannot show lines removed from its end).")] = False,
) -> None:
    """Quarantine a torn tail: keep the log up to the line its head pins, move what follows to a
    side file with a record of what was removed, and log the repair. Exit 1, changing nothing,
    when the log is not a pinned prefix plus a tail (lines removed or edited)."""
    path = file or audit_path(get_settings())
    try:
        done = repair_log(AuditLog(path), operator or getpass.getuser(), rebuild_head=rebuild_head)
    except (RepairRefused, AuditFault) as exc:
        console.print(f"[red]not repaired[/] ({path}): {getattr(exc, 'detail', exc)}; nothing changed")
        raise typer.Exit(1) from None
    if done.record is None:
        console.print(f"nothing to repair: {done.lines} lines, the log ends at the line its head pins")
        return
    rec = done.record
    if rec.get("headRebuilt"):
        console.print(f"[yellow]head rebuilt[/] from the chain: it pins line {done.lines}; compare it with the audit "
                      "anchor (lines removed from the log's end do not show in the chain)")
        if not rec["bytes"]:
            return
    console.print(f"[green]repaired[/]: kept {done.lines} lines; quarantined {rec['bytes']} bytes "
                  f"({rec['wholeLines']} whole lines, {'torn' if rec['torn'] else 'not torn'}, sha256 {rec['sha256']}) "
                  f"to {done.side_file}; recorded as line {done.entry['seq'] if done.entry else '-'}")


def register(app: typer.Typer) -> None:
    """Mount ``token``, ``apikey`` and ``audit`` on the main ``lintas`` app."""
    app.command("token")(token)
    app.add_typer(apikey_app, name="apikey")
    app.add_typer(audit_app, name="audit")
