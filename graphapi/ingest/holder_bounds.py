"""What a load's circuit breaker knows of the identifiers it counted, so that a flush whose own
changes cannot have moved one past the limit does not count it again (attack round a-62, 6).

The breaker (:meth:`graphapi.ingest.write_correlation.CorrelationChecks._check_correlation`) counts
the holders of the identifiers a flush's new links name, for everyone and for each agency of the
load's audience, and flags or marks the ones past the limit. A delta of ``DEL x / ADD x`` pairs to
a hub is a flush per pair (:mod:`graphapi.ingest.delta_order`), and each counted the hub's every
holder again, in the write lease: 10,000 holder rows per pair. Here a count names the holders it
counted (``ingest/identifier_holder_sets``), and the load tells these bounds what it changes since:

- :meth:`HolderBounds.linked`: the ends of every link of a linking type it writes (created,
  merged, relevelled or narrowed), whichever of them is the identifier;
- :meth:`HolderBounds.moved`: the nodes whose level it moved (a holder seen by more agencies
  holds for them without a new link);
- :meth:`HolderBounds.dropped`: the nodes its DELs deleted with their last link, and those a
  node DEL named (a placeholder identifier made again is a new one, its quarantine gone);
- :meth:`HolderBounds.forget`: anything else that may widen what an agency sees (another writer
  held the lease, shares changed, a node DEL that deleted or withdrew a node, an item a DEL
  re-owned); a node DEL of an id nobody stored changes nothing.

Nothing is read for that: no look-up per pair (a-63, 1 and 2: a tally that read each pair walked
every link of the holder on FalkorDB). A view of an identifier can hold no more holders now than
those it counted together with the nodes named since, so while that union is within the limit (or
the view is quarantined already) the breaker's count would change nothing, and it is not made:
the identifier is counted again only when it might. A delta of pairs to a hub counts the hub once;
a load whose links really reach the limit counts as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: Holder ids kept over every entry at most; past it the bounds are dropped (counted again).
MAX_HELD = 200_000
#: Moved nodes kept at most; past it the bounds are dropped.
MAX_MOVED = 100_000


@dataclass
class _Entry:
    """One identifier as last counted: the holders each view not quarantined counted (``None``:
    everyone; empty when everyone's flag is set, when nothing the load does is counted), the
    holders of the links to it the load wrote since (``near``), and where :attr:`HolderBounds._moved`
    stood then (``at``)."""

    counted: dict[str | None, frozenset[str]]
    at: int
    near: set[str] = field(default_factory=set)


class HolderBounds:
    """One load's bounds on the holders of the identifiers its breaker counted, for the
    ``agencies`` of its audience and the correlation ``limit``."""

    def __init__(self, limit: int, agencies: list[str]) -> None:
        self.limit, self.agencies = limit, list(agencies)
        self._entries: dict[str, _Entry] = {}
        self._moved: list[str] = []
        self._held = 0

    def forget(self) -> None:
        """Drop every bound: what the load knows of its identifiers may be wrong now."""
        self._entries.clear()
        self._moved.clear()
        self._held = 0

    def linked(self, a: str, b: str) -> None:
        """A link of a linking type between ``a`` and ``b`` was written (either may be the identifier)."""
        if a in self._entries:
            self._entries[a].near.add(b)
        if b in self._entries:
            self._entries[b].near.add(a)

    def moved(self, ids: Iterable[str]) -> None:
        """Nodes ``ids`` are seen by other agencies now: each may hold any identifier counted."""
        if self._entries:
            self._moved.extend(ids)
            if len(self._moved) > MAX_MOVED:
                self.forget()

    def dropped(self, ids: Iterable[str]) -> None:
        """Nodes ``ids`` were deleted (or their quarantine changed): counted again if linked again."""
        for i in ids:
            if (entry := self._entries.pop(i, None)) is not None:
                self._held -= sum(map(len, entry.counted.values()))

    def due(self, ids: Iterable[str]) -> list[str]:
        """The identifiers of ``ids`` to count: those not counted yet this load, and those some view
        (not quarantined) of which might now hold more than the limit."""
        return [i for i in ids if not self._within(i)]

    def _within(self, ident: str) -> bool:
        entry = self._entries.get(ident)
        if entry is None:
            return False
        if not entry.counted:
            return True
        if len(self._moved) - entry.at > self.limit:
            return False  # more nodes named than the limit: counting is as cheap as bounding
        since = entry.near.union(self._moved[entry.at:])
        return all(len(held) + len(since - held) <= self.limit for held in entry.counted.values())

    def counted(self, row: dict[str, Any]) -> dict[str, Any]:
        """Keep what a row of ``ingest/identifier_holder_sets`` counted, and return it as
        ``ingest/identifier_holders`` gives it (the holders counted per view, not named)."""
        public = frozenset(str(h) for h in row["public"])
        seen: dict[str, set[str]] = {a: set() for a in self.agencies}
        for v in row["views"]:
            for a in v["seen"]:
                seen.setdefault(a, set()).add(str(v["h"]))
        counted: dict[str | None, frozenset[str]] = {}
        if not row["quarantined"]:  # flagged for everyone: nothing the load does counts (no mark)
            counted[None] = public
            counted.update((v["agency"], frozenset(seen[v["agency"]])) for v in row["audience"]
                           if not v["quarantined"])
        held = sum(map(len, counted.values()))
        old = self._entries.pop(row["id"], None)
        self._held -= sum(map(len, old.counted.values())) if old is not None else 0
        if self._held + held > MAX_HELD:
            self.forget()
        self._entries[row["id"]] = _Entry(counted, len(self._moved))
        self._held += held
        return {"id": row["id"], "holders": len(public), "quarantined": row["quarantined"], "marks": row["marks"],
                "audience": [{"agency": v["agency"], "holders": len(seen[v["agency"]]),
                              "quarantined": v["quarantined"]} for v in row["audience"]]}
