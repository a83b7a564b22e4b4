"""Linter answers kept between runs, keyed by everything that decides them.

Neo4j's Cypher front end runs in node as compiled Scala (``@neo4j-cypher/language-support``):
0.5 s of CPU per statement rendering, 2 minutes for the ~250 renderings of ``cypher/``, the
slowest setup of the suite. Its answer is a pure function of the linter (``package-lock.json``,
``lint.mjs``), the schema and procedures given to it and the item itself, so an answer is kept
under ``~/.cache/lintas/cypher-lint/`` (``XDG_CACHE_HOME`` if set) by the hash of all of them, as
``~/.m2`` keeps Maven's jars: a fresh clone lints only what changed, and installs the linter
only then. Any change to a statement, the ontology or the pinned linter is a new key.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lintas" / "cypher-lint"


def linter_key(lint_dir: Path) -> str:
    """The linter's identity: its exact dependency tree and the script that drives it."""
    digest = hashlib.sha256()
    for name in ("package-lock.json", "lint.mjs"):
        digest.update((lint_dir / name).read_bytes())
    return digest.hexdigest()


def key(*parts: Any) -> str:
    """A stable hash of JSON-able parts."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def get(k: str) -> Any | None:
    """The answer kept under ``k``, or None (also for an unreadable entry: it is linted again)."""
    try:
        return json.loads((cache_root() / k[:2] / f"{k}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def put(k: str, answer: Any) -> None:
    """Keep ``answer`` under ``k`` (written then renamed: a concurrent run never reads half)."""
    folder = cache_root() / k[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False, encoding="utf-8") as tmp:
            json.dump(answer, tmp)
        Path(tmp.name).replace(folder / f"{k}.json")
    except OSError:
        pass  # no writable cache: the next run lints again, nothing else changes
