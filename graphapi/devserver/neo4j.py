"""A throw-away Neo4j Community server for tests and ``lintas dev neo4j`` (a source checkout only).

``tests/neo4j/pom.xml`` pins the Neo4j artifacts; Maven resolves them into the normal ``~/.m2``
cache (only the first run downloads, ~130 MB) and prints their classpath. ``tests/neo4j/Launcher.java``
starts the embedded DBMS with Bolt on 127.0.0.1 and a free port,
no authentication, and prints the Bolt URI. The server stops when its stdin closes, so it never
outlives the process that started it, even one that is killed.

The classpath and the compiled launcher are cached beside ``~/.m2``, under
``~/.cache/lintas/neo4j-launcher/<key>`` (``XDG_CACHE_HOME`` if set), the key a hash of the pom,
the launcher's source and the JDK: a fresh clone (CI) finds them there and runs neither Maven nor
javac again (together 15 s of CPU, 1-2 minutes on a loaded 2-core machine).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import selectors
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: Where the pom and the launcher live (a source checkout).
LAUNCHER_DIR = Path(__file__).resolve().parents[2] / "tests" / "neo4j"
#: Heap and page cache: a test server holds a few thousand nodes.
DEFAULT_HEAP = "1g"
DEFAULT_PAGE_CACHE_MIB = 64
#: The classpath's classes loaded unverified (the JDK's own never are verified): the jars are Neo4j's,
#: pinned by the pom and fetched by Maven with their checksums, and verifying the ~10k classes a
#: throw-away server loads was a quarter of its start: 4.2 and 4.6 s of JVM CPU to print its URI with
#: it off, 5.5-6.1 s with it on, 22.2-22.4 s against 23.7-25.5 s to a loaded fixture (s-time63).
UNVERIFIED_JARS = ("-XX:+UnlockDiagnosticVMOptions", "-XX:-BytecodeVerificationRemote")
#: Serial GC: a small heap on a shared 2-core machine. C1 only (TieredStopAtLevel=1): Neo4j starts
#: in about half the time and a test's small statements run no slower (measured: README).
JVM_OPTIONS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", *UNVERIFIED_JARS)
#: For throughput (``lintas bench``): the JVM's default tiered compilation (C2 compiles the hot
#: loops of a bulk load; C1-only code runs them several times slower), still the serial GC.
JVM_OPTIONS_THROUGHPUT = ("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", *UNVERIFIED_JARS)
#: For the test suite: as JVM_OPTIONS, and a statement planned once stays planned. A test module
#: clears the graph and loads its own, so with Neo4j's defaults (replan after 10 s once the
#: statistics moved by 75%) every module replans every statement it runs, at 0.3-2 s of server
#: CPU each for the big ones on a busy 2-core machine; the Neo4j cases of two API test files took
#: 82.3 and 90.8 s with the defaults, 60.5 and 67.7 s without replanning (interleaved, load 3-4).
#: The plans stay those of the unique-index seeks the statements anchor on (the plan tests check).
#: Still C1 only, measured against the default tiered JIT (C2) in December 2026: planning is most
#: of the server's work (a statement text's first call: ~109 of the 127 s the server reported for
#: the Neo4j cases of five API and ingest files), and C2 plans ~30% faster once warm (EXPLAIN of the
#: same 153 texts, new parameter names each round: 39.6 and 39.8 s of JVM CPU a round on C1, 32.8
#: and 27.9 s on C2), but its compiler threads cost more than that saves over a session of the
#: tests' length: the Neo4j cases of 18 of the longest files (189 tests, two runs side by side,
#: twice) took 139.5 and 142.9 s of JVM CPU on C1, 170.0 and 175.5 s on C2 (72 s of it the C2
#: compiler threads by the ninth minute). They ended sooner on C2 (367 and 530 s against 428 and
#: 584 s) most likely because its compiler took a core that other processes would have had.
JVM_OPTIONS_TESTS = (*JVM_OPTIONS, "-Dlintas.neo4j.min_replan_interval_s=86400",
                     "-Dlintas.neo4j.statistics_divergence_threshold=1.0")


class Neo4jLaunchError(RuntimeError):
    """The launcher could not start Neo4j (no Java or Maven, download or start-up failed)."""


def missing_tools() -> str | None:
    """Why a server cannot be launched here (no launcher files, no ``java``, no ``mvn``), or None."""
    if not (LAUNCHER_DIR / "pom.xml").is_file():
        return f"no Neo4j launcher at {LAUNCHER_DIR} (a source checkout is needed)"
    if _java("java") is None:
        return "no Java (java on PATH or JAVA_HOME) to run Neo4j"
    if _java("javac") is None:
        return "no Java compiler (javac: a JDK, not a JRE) to build the Neo4j launcher"
    if shutil.which("mvn") is None:
        return "no Maven (mvn on PATH) to fetch Neo4j"
    return None


def _java(tool: str) -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / tool).is_file():
        return str(Path(home) / "bin" / tool)
    return shutil.which(tool)


def cache_dir() -> Path:
    """Where the classpath and the compiled launcher of this pom, launcher source and JDK are kept
    (a change to any of them is a new directory: nothing stale is ever read)."""
    key = hashlib.sha256()
    for source in (LAUNCHER_DIR / "pom.xml", LAUNCHER_DIR / "Launcher.java"):
        key.update(source.read_bytes())
    key.update(os.path.realpath(_java("javac") or "javac").encode())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "lintas" / "neo4j-launcher" / key.hexdigest()[:16]


def classpath(timeout_s: float = 900) -> str:
    """The Neo4j classpath, resolved by Maven (downloading on first use) and cached in a file.

    Re-resolved when a jar it names is gone (``~/.m2`` wiped).
    """
    pom = LAUNCHER_DIR / "pom.xml"
    cached = cache_dir() / "classpath.txt"
    if cached.is_file():
        text = cached.read_text().strip()
        if text and all(Path(jar).exists() for jar in text.split(os.pathsep)):
            return text
    cached.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the cache, then renamed: two runs resolving at once never read half a file.
    with tempfile.NamedTemporaryFile("w", dir=cached.parent, suffix=".tmp", delete=False) as tmp:
        out = Path(tmp.name)
    cmd = ["mvn", "-B", "-q", "-f", str(pom), "dependency:build-classpath", f"-Dmdep.outputFile={out}"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        out.unlink(missing_ok=True)
        raise Neo4jLaunchError(f"Maven did not resolve Neo4j within {timeout_s:.0f} s") from exc
    if done.returncode != 0 or not out.read_text().strip():
        out.unlink(missing_ok=True)
        tail = (done.stdout + done.stderr).strip()[-2000:]
        raise Neo4jLaunchError(f"Maven could not resolve Neo4j ({' '.join(cmd)}):\n{tail}")
    out.replace(cached)
    return cached.read_text().strip()


def _compiled_launcher(cp: str) -> Path:
    """The cache's ``classes`` holding Launcher.class, compiled when missing."""
    source = LAUNCHER_DIR / "Launcher.java"
    classes = cache_dir() / "classes"
    if (classes / "Launcher.class").is_file():
        return classes
    classes.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=classes.parent, prefix="classes."))
    done = subprocess.run(
        [_java("javac") or "javac", "-cp", cp, "-d", str(staging), str(source)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise Neo4jLaunchError(f"javac could not compile {source}:\n{done.stderr.strip()[-2000:]}")
    shutil.rmtree(classes, ignore_errors=True)
    staging.replace(classes)
    return classes


@dataclass
class Neo4jServer:
    """A running launcher: ``uri`` is its Bolt URI; ``stop()`` shuts it down cleanly."""

    uri: str
    home: Path
    process: subprocess.Popen[bytes]
    started_in_s: float
    _drain: threading.Thread | None = field(default=None, repr=False)

    @property
    def log(self) -> Path:
        """The launcher's stderr and Neo4j's own logs are under ``home``."""
        return self.home / "launcher.log"

    def stop(self, timeout_s: float = 60) -> None:
        """Close stdin (the launcher's stop signal) and wait; SIGKILL if it does not exit in time."""
        if self.process.poll() is None:
            try:
                if self.process.stdin:
                    self.process.stdin.close()
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """Stop at once (SIGKILL), as a crashed server would."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(
    home: Path, *, heap: str = DEFAULT_HEAP, page_cache_mib: int = DEFAULT_PAGE_CACHE_MIB, port: int = 0,
    timeout_s: float = 300, jvm_options: tuple[str, ...] = JVM_OPTIONS,
) -> Neo4jServer:
    """Start Neo4j with its store in ``home`` and wait until it accepts Bolt connections.

    ``port`` 0 lets the OS choose a free one (the URI says which); a fixed port restarts a
    stopped server where its clients expect it.

    Raises ``Neo4jLaunchError`` with the reason (tools missing, Maven or javac failed, the server
    exited or did not print its URI within ``timeout_s``; Neo4j's log is in ``home``).
    """
    if reason := missing_tools():
        raise Neo4jLaunchError(reason)
    with _launcher_lock():
        cp = classpath()
        classes = _compiled_launcher(cp)
    home.mkdir(parents=True, exist_ok=True)
    log = (home / "launcher.log").open("ab")
    cmd = [
        _java("java") or "java", f"-Xmx{heap}", *jvm_options,
        "-cp", os.pathsep.join([str(classes), cp]), "Launcher", str(home), str(page_cache_mib), str(port),
    ]
    began = time.monotonic()
    process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
    log.close()
    assert process.stdout is not None
    uri = _read_uri(process, began + timeout_s)
    if uri is None:
        process.kill()
        process.wait()
        tail = (home / "launcher.log").read_text(errors="replace").strip()[-2000:]
        raise Neo4jLaunchError(
            f"Neo4j did not start within {timeout_s:.0f} s (exit code {process.returncode}); "
            f"logs in {home}:\n{tail}"
        )
    server = Neo4jServer(uri=uri, home=home, process=process, started_in_s=time.monotonic() - began)
    # Whatever the JVM prints later must not fill the pipe and block it.
    server._drain = threading.Thread(target=_drain, args=(process,), daemon=True)
    server._drain.start()
    return server


@contextmanager
def _launcher_lock():
    """Held while Maven resolves and javac compiles: parallel test workers (pytest-xdist) or two
    runs (or clones) starting at once must not both download into ``~/.m2`` or swap the cached
    ``classes`` under a JVM that is starting from it."""
    target = cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    with (target / ".launcher.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_uri(process: subprocess.Popen[bytes], deadline: float) -> str | None:
    """The first ``bolt://`` line the launcher prints, or None if it exits or the deadline passes."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    buffered = b""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not sel.select(left):
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                return None
            buffered += chunk
            *lines, buffered = buffered.split(b"\n")
            for line in lines:
                if line.startswith(b"bolt://"):
                    return line.decode().strip()
    return None


def _drain(process: subprocess.Popen[bytes]) -> None:
    assert process.stdout is not None
    while os.read(process.stdout.fileno(), 65536):
        pass
