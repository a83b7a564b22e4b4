"""The holders of the identifiers a load's circuit breaker counts, read once per identifier per
load and kept current from the load's own changes (attack round a-62, 6).

The breaker (:meth:`graphapi.ingest.write_correlation.CorrelationChecks._check_correlation`) counts
an identifier's holders after each flush that links it, for everyone and for each agency of the
load's audience. A delta of ``DEL x / ADD x`` pairs to a hub is a flush per pair
(:mod:`graphapi.ingest.delta_order`), and each read the hub's every holder (``ingest/identifier_holders``:
10,000 rows per pair, in the write lease). Here the first count of an identifier names its holders
that count (``ingest/identifier_holder_sets``: those everyone may see, and those each agency of the
audience may); then the load tells the tally every node whose holding it may have changed:

- ``pair``: the ends of each link it writes or whose DEL it applies (the stored ends, read
  before: a DEL record's word for them is not taken);
- ``moved``: nodes whose level moved (relevelled or narrowed as written), the nodes its DELs
  name, and the ends of the links its retractions deleted (a placeholder end is held at another
  level then): each may hold any identifier counted.

The next count reads only those pairs (``ingest/identifier_holders_among``, each by both ids) and the
identifiers' quarantines (``ingest/identifier_quarantines``): the same counts as a full read, at
the cost of the load's own changes. What another writer changed is not told: the tally is dropped
when another writer held the lease since (:meth:`forget`), as the writer's other caches are, and
whenever the pairs to read would cost more than :data:`MAX_PAIRS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphapi.store.base import GraphStore

#: Pairs one count reads at most; past it the tally is dropped and identifiers are read whole.
MAX_PAIRS = 10_000
#: Holders one identifier's entry names at most; past it the identifier is read whole each time.
MAX_HOLDERS = 50_000


@dataclass
class _Entry:
    """One identifier's holders that count: ``public`` (everyone may see), ``seen`` per agency,
    and the nodes to read again before its next count (``among``)."""

    public: set[str]
    seen: dict[str, set[str]]
    among: set[str] = field(default_factory=set)


class HolderTally:
    """One load's tally of the holders of the identifiers it counts, for ``agencies`` (its
    audience) by the linking ``types``."""

    def __init__(self, types: Iterable[str], agencies: list[str], batch_size: int) -> None:
        self.types, self.agencies, self.batch_size = sorted(types), list(agencies), batch_size
        self._entries: dict[str, _Entry] = {}
        self._moved: set[str] = set()

    @property
    def active(self) -> bool:
        """Whether it holds any identifier's holders (else it needs telling nothing)."""
        return bool(self._entries)

    def forget(self) -> None:
        """Drop the tally (another writer may have changed what it holds)."""
        self._entries.clear()
        self._moved.clear()

    def pair(self, a: str, b: str) -> None:
        """A link between ``a`` and ``b`` was written or deleted (either may be the identifier)."""
        if a in self._entries:
            self._entries[a].among.add(b)
        if b in self._entries:
            self._entries[b].among.add(a)

    def moved(self, ids: Iterable[str]) -> None:
        """Nodes ``ids`` may hold any identifier counted differently now."""
        if self._entries:
            self._moved.update(ids)

    async def rows(self, store: GraphStore, ids: list[str]) -> list[dict[str, Any]]:
        """``ingest/identifier_holders``'s rows of ``ids`` (the holders everyone may see, and those
        each agency of the audience may, in its order), from the tally where it holds them."""
        await self._catch_up(store)
        kept = [i for i in ids if i in self._entries]
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(kept), self.batch_size):
            for row in await store.read("ingest/identifier_quarantines",
                                        {"ids": kept[i:i + self.batch_size], "agencies": self.agencies}):
                out[row["id"]] = self._row(row, self._entries[row["id"]])
        for gone in set(kept) - set(out):  # deleted since: read whole if made again
            del self._entries[gone]
        fresh = [i for i in ids if i not in self._entries]
        for i in range(0, len(fresh), self.batch_size):
            for row in await store.read("ingest/identifier_holder_sets", {
                    "ids": fresh[i:i + self.batch_size], "types": self.types, "agencies": self.agencies}):
                entry = _Entry(set(row["public"]), {a: set() for a in self.agencies})
                for v in row["views"]:
                    for a in v["seen"]:
                        entry.seen[a].add(v["h"])
                if len(entry.public) + sum(map(len, entry.seen.values())) <= MAX_HOLDERS:
                    self._entries[row["id"]] = entry
                out[row["id"]] = self._row(row, entry)
        return [out[i] for i in ids if i in out]

    async def _catch_up(self, store: GraphStore) -> None:
        """Read again the pairs the load's changes name, and settle the entries on them."""
        moved, self._moved = self._moved, set()
        # never an identifier with itself: sought by both ids, that pair walks the identifier's every link
        pairs = {(i, h) for i, e in self._entries.items() for h in (*e.among, *moved) if h != i}
        for e in self._entries.values():
            e.among.clear()
        if not pairs:
            return
        if len(pairs) > MAX_PAIRS:  # dearer than reading them whole
            self.forget()
            return
        ordered = sorted(pairs)
        found: list[dict[str, Any]] = []
        for n in range(0, len(ordered), self.batch_size):
            found += await store.read("ingest/identifier_holders_among", {
                "pairs": [{"i": i, "h": h} for i, h in ordered[n:n + self.batch_size]],
                "types": self.types, "agencies": self.agencies})
        for i, h in ordered:
            e = self._entries[i]
            e.public.discard(h)
            for held in e.seen.values():
                held.discard(h)
        for row in found:
            e = self._entries[row["i"]]
            if row["public"]:
                e.public.add(row["h"])
            for a in row["seen"]:
                e.seen[a].add(row["h"])

    def _row(self, row: dict[str, Any], entry: _Entry) -> dict[str, Any]:
        return {"id": row["id"], "holders": len(entry.public), "quarantined": row["quarantined"],
                "marks": row["marks"], "audience": [
                    {"agency": v["agency"], "holders": len(entry.seen[v["agency"]]), "quarantined": v["quarantined"]}
                    for v in row["audience"]]}
