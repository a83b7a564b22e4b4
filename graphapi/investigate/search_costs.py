"""The store time each agency and principal used recently, by which the search queue decides
turns (:mod:`graphapi.investigate.search_queue`): ``costs.json`` in the queue's folder, small (at
most ``MAX_REMEMBERED`` entries), written whole to a temporary file then renamed; a file of any
other shape is started afresh (attack round 30a M1)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

#: Store time used counts half after this long: an agency that flooded a minute ago has paid back
#: half; one idle for ten minutes is even with one never seen.
COST_HALF_LIFE_S = 60.0
#: costs.json keeps the most recently charged entries (agencies and principals) up to this many,
#: and none below ``_NEGLIGIBLE_S``: it is read at every decision, so it stays a few kilobytes.
MAX_REMEMBERED = 500
_NEGLIGIBLE_S = 0.001
COSTS = "costs.json"
log = logging.getLogger(__name__)

#: key ("a" + agency or "p" + principal) -> (seconds of store time, time.time_ns() when last charged)
Costs = dict[str, tuple[float, int]]


def decayed(costs: Costs, key: str, now: int) -> float:
    """The store time ``key`` used, each second halved every COST_HALF_LIFE_S since."""
    spent, at = costs.get(key, (0.0, now))
    return spent * 0.5 ** (max(0, now - at) / 1e9 / COST_HALF_LIFE_S)


def charged(costs: Costs, keys: list[str], seconds: float, now: int) -> Costs:
    """``costs`` with ``seconds`` added to each of ``keys``, pruned to the MAX_REMEMBERED most recent."""
    out = dict(costs)
    for key in keys:
        out[key] = (decayed(out, key, now) + seconds, now)
    kept = sorted(((k, v) for k, v in out.items() if decayed(out, k, now) >= _NEGLIGIBLE_S),
                  key=lambda kv: kv[1][1], reverse=True)
    return dict(kept[:MAX_REMEMBERED])


def read_costs(path: Path) -> Costs:
    """The costs in ``path``; {} when it is missing, half-written or of any other shape (attack round
    30a M1: a list, a number or a directory there made every search fail)."""
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    costs: Costs = {}
    for key, value in raw.items():
        if (isinstance(value, list) and len(value) == 2 and all(type(v) in (int, float) for v in value)
                and value[0] >= 0):
            costs[key] = (float(value[0]), int(value[1]))
    return costs


def write_costs(path: Path, costs: Costs) -> None:
    """Write ``costs`` whole (temporary file, then rename: a reader never sees half of it); a path
    that cannot be written (a directory there) is logged and the queue goes on without it."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({k: [round(c, 6), at] for k, (c, at) in costs.items()}, out)
        os.replace(temp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        log.warning("search queue: cannot write %s (%s); turns are decided without past costs", path, e)
