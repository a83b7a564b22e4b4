"""What ``lintas bench`` runs: the section and operation names, the quick scale, the options.

Kept free of heavy imports so that the CLI can offer its options without loading the bench.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from graphapi.bench.generate import DEFAULT_SEED

#: Operations measured, in order (cheap first): each is an in-process service call and a GraphQL query.
OPERATIONS = ("lookup", "values", "search", "relationships", "neighbourhood", "path")
#: Default scale of `lintas bench`: ~10k nodes / 50k relationships, a few minutes on 2 cores.
QUICK_SCALE = 0.01
#: The bench's statement timeout (its loader and its API process): a 5,000-row batch or the first
#: plan of a large statement on a cold JVM or a busy machine may take longer than a served
#: request's 30 s, and a bench that gives up measures nothing.
STATEMENT_TIMEOUT_MS = 600_000
#: Measurement sections, selectable with `--only` (as are the operations). ``soak`` is off unless
#: named or given a duration (``--soak-s``): it runs for minutes.
SECTIONS = ("reader", "load", "reads", "analytics", "graphql", "roundtrips", "throughput", "memory", "soak")


@dataclass
class BenchConfig:
    """What to run. ``only``: section and/or operation names (None = everything)."""

    scale: float = QUICK_SCALE
    backend: str = "embedded"
    only: frozenset[str] | None = None
    root: Path = Path(".lintas/bench")
    seed: int = DEFAULT_SEED
    iterations: int = 200
    op_budget_s: float = 5.0
    #: ``reads`` and ``analytics``: each operation is sampled this many times over, interleaved;
    #: the best round is reported
    rounds: int = 3
    clients: int = 8
    throughput_s: float = 10.0
    throughput_max_requests: int = 20_000
    #: uvicorn worker processes of the API server (``lintas serve --workers``)
    workers: int = 1
    #: ``soak``: seconds of mixed traffic (None: 600 when ``soak`` is named, else no soak) and
    #: seconds between two memory samples
    soak_s: float | None = None
    soak_sample_s: float = 10.0
    batch_size: int = 5_000
    clear_neo4j: bool = False
    #: ``--profile``: write a cProfile of the load and of each read operation here (:mod:`.profiling`)
    profile_dir: Path | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    def wants(self, name: str) -> bool:
        """True if section or operation ``name`` is selected (``soak`` only when named or given
        a duration)."""
        if name == "soak":
            return bool(self.soak_s) or (self.only is not None and "soak" in self.only)
        if self.only is None:
            return True
        if name in self.only:
            return True
        if name in OPERATIONS:  # an operation runs when any section that measures it is selected
            return not (self.only & set(OPERATIONS)) and bool(self.only & {"reads", "graphql"})
        if name in ("reads", "graphql"):
            return bool(self.only & set(OPERATIONS))
        return False


class BenchError(RuntimeError):
    """The bench cannot run as asked (bad option, a non-empty Neo4j database, ...)."""


