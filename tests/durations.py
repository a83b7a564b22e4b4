"""Each test file's measured duration, so that the two workers are handed the longest files first.

pytest-xdist (``--dist loadfile``) gives each idle worker the next whole file in the order it is
given (``--no-loadscope-reorder``; by default it orders files by their number of tests, which sent
two-test files of a minute each to the end: one worker then ran alone for about 3 minutes).
Longest first (LPT) ends the two workers within about the length of the shortest files.

``durations.json`` holds seconds per file from a JUnit report of a whole run; refresh it after
adding or slowing a file::

    python -m pytest --junitxml=/tmp/suite.xml
    python tests/durations.py /tmp/suite.xml
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

FILE = Path(__file__).with_name("durations.json")
ROOT = Path(__file__).parent.parent


def measured() -> dict[str, float]:
    """Seconds per test file (path from the project root), as last measured."""
    return json.loads(FILE.read_text(encoding="utf-8")) if FILE.exists() else {}


def longest_first(paths: list[str], seconds: dict[str, float]) -> dict[str, int]:
    """Rank of each file: files never measured first (a new file may be long, and a long file
    handed out last is what leaves one worker alone), then the measured ones, longest first."""
    unknown = max(seconds.values(), default=0.0) + 1.0
    order = sorted(set(paths), key=lambda p: (-seconds.get(p, unknown), p))
    return {path: rank for rank, path in enumerate(order)}


#: Seconds of embedded-only files each worker is handed before its first file that talks to Neo4j:
#: the session's Neo4j starts in the background when collection ends (tests/conftest.py), and in
#: fresh-clone CI each worker's first Neo4j test waited 16-31 s for it, idle (ci81, ci90: the
#: worker's first file a file of embedded tests whose second test was a Neo4j one). The JVM's start
#: is mostly waiting, not work: 19 s of wall time for 5.6 s of its CPU on a machine at load 7-10
#: (s-time61), so a worker running embedded tests meanwhile costs it little.
NEO4J_START_S = 45.0


def neo4j_waits_last(files: list[str], uses_neo4j: set[str], seconds: dict[str, float], workers: int,
                     start_s: float = NEO4J_START_S) -> list[str]:
    """``files`` (in hand-out order) with files of no Neo4j test (none of ``uses_neo4j``) handed out
    first, in their order, until their measured ``seconds`` cover ``start_s`` for each of ``workers``
    (all of them if they do not); the files moved back keep their order. A file whose first test is
    an embedded one but a later one needs Neo4j waits as idle as one that starts with it."""
    front: list[str] = []
    covered = 0.0
    for path in files:
        if covered >= start_s * workers:
            break
        if path not in uses_neo4j:
            front.append(path)
            covered += seconds.get(path, 0.0)
    chosen = set(front)
    return front + [path for path in files if path not in chosen]


def plans_dropped_last(files: list[str], drop_plans: set[str]) -> list[str]:
    """``files`` (in hand-out order) with those of ``drop_plans`` handed out last, in their order.
    Such a file makes its worker's Neo4j drop every cached plan (a schema change, or
    ``db.clearQueryCaches`` to plan on its own graph): each statement the worker runs after it is
    planned again, and planning is most of a test Neo4j's work (graphapi/devserver/neo4j.py). Last,
    nothing but other such files runs after them."""
    return [f for f in files if f not in drop_plans] + [f for f in files if f in drop_plans]


def from_junit(report: Path) -> dict[str, float]:
    """Seconds per file from a JUnit XML report (each test case's setup, call and teardown)."""
    total: Counter[str] = Counter()
    for case in ET.parse(report).iter("testcase"):
        total[_file_of(case.get("classname", ""))] += float(case.get("time") or 0.0)
    return {path: round(sec, 1) for path, sec in sorted(total.items())}


def _file_of(classname: str) -> str:
    """``tests.api.test_x`` (or ``tests.api.test_x.TestCase``) -> ``tests/api/test_x.py``."""
    parts = classname.split(".")
    for end in range(len(parts), 0, -1):
        path = "/".join(parts[:end]) + ".py"
        if (ROOT / path).is_file():
            return path
    return "/".join(parts) + ".py"


if __name__ == "__main__":
    FILE.write_text(json.dumps(from_junit(Path(sys.argv[1])), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {FILE}")
