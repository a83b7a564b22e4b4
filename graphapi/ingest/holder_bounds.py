"""What a load's circuit breaker knows of the identifiers it counted, so that a flush whose own
changes cannot have moved one past the limit does not count it again (attack round a-62, 6).

The breaker (:meth:`graphapi.ingest.write_correlation.CorrelationChecks._check_correlation`) counts
the holders of the identifiers a flush's new links name, for everyone and for each agency of the
load's audience, and flags or marks the ones past the limit. A delta of ``DEL x / ADD x`` pairs to
a hub is a flush per pair (:mod:`graphapi.ingest.delta_order`), and each counted the hub's every
holder again, in the write lease: 10,000 holder rows per pair. Here a count names the holders it
counted (``ingest/identifier_holder_sets``), and the load tells these bounds what it changes since:

- :meth:`HolderBounds.linked`: the ends (and the id) of every link of a linking type it writes
  (created, merged, relevelled or narrowed), whichever of them is the identifier;
  :meth:`HolderBounds.widened` those widened in place, whose holders a partner may see now though
  the loader's own views counted them before (attack round a-98, 1);
- :meth:`HolderBounds.moved`: the nodes whose level or owner it moved (a holder seen by more
  agencies holds for them without a new link): relevelled, taken over, and placeholders held
  anew at another link (attack round a-68, 2);
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
a load whose links really reach the limit counts as before. That holds for the views the loader
reads (everyone's, its own); another agency's view is counted again at each holder it may see
that those did not count, never by its own count, which the loader cannot see (issue 10, 3).

A node named since counts for a view only if that view may see it: when the union would pass the
limit, the load reads the levels of the nodes named since and of the links it wrote to them, by id
(:meth:`HolderBounds.unsure`, :meth:`HolderBounds.known`: no link of the identifier is walked),
and a holder or link a view cannot read is no new holder of that view. Else a view at the limit
(TH-DSI's 5 holders, limit 5) had the hub counted again for each pair of a delta whose holder it
cannot see (LA-POL's RED person), and how long the load took told LA-POL TH-DSI's hidden count
(attack round a-68, 3). What is read is kept until the load writes the node or link again, moves
it, deletes it, or forgets. A partner's view is counted again at a holder the loader's views counted
once the load widened its link in place or moved it since: the loader's count told nothing of what
the partner saw before (a-98, 1: TH-DSI saw 6 holders of 5, unmarked). That depends only on what the
load wrote, never on the partner's count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphapi.ontology.tlp import item_audience

#: Holder ids kept over every entry at most; past it the bounds are dropped (counted again).
MAX_HELD = 200_000
#: Moved nodes kept at most; past it the bounds are dropped.
MAX_MOVED = 100_000
#: The levels (and moved nodes' links) kept at most; past it they are read again. One check reads
#: every one not kept (:meth:`HolderBounds.unsure`), in batches: a cap past which the identifiers
#: were counted instead let a load that moved more than it count its hub again on every flush
#: after (attack round a-71, 1's class); what is read is what the load wrote, each once.
MAX_LEVELS = 100_000

#: Who may see an item (:func:`graphapi.ontology.tlp.item_audience`: None, everyone); an item gone, nobody.
Audience = frozenset[str] | None
GONE: Audience = frozenset()


@dataclass
class _Entry:
    """One identifier as last counted: the holders each view not quarantined counted (``None``:
    everyone; empty when everyone's flag is set, when nothing the load does is counted), the
    holders of the links to it the load wrote since (``near``), and the move
    (:attr:`HolderBounds._seq`) the load stood at then (``at``)."""

    counted: dict[str | None, frozenset[str]]
    at: int
    #: holder -> the links (type, id) the load wrote between it and the identifier since
    near: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: the holders of those links the load widened in place since (:meth:`HolderBounds.widened`)
    widened: set[str] = field(default_factory=set)


class HolderBounds:
    """One load's bounds on the holders of the identifiers its breaker counted, for the
    ``agencies`` of its audience (its ``owner``'s first) and the correlation ``limit``.

    Only the views the loader reads are bounded by their counts: everyone's and its own. Another
    agency's view (a partner of its audience, or, of a ``public`` load, every other agency's) is
    counted again whenever the load names a holder it may see that neither of those counted, whatever
    that view's count or mark: a bound on a partner's count told the loader the partner's hidden
    count by when the second count came (attack round a-71, 3; issue 10, 3). A fresh holder is one
    more for the loader's own view, so each identifier is counted so at most ``limit`` + 1 times a
    load (past it the loader's own links to it are kept out), and at most once a flush."""

    def __init__(self, limit: int, agencies: list[str], public: bool = False, owner: str | None = None) -> None:
        self.limit, self.agencies, self.public = limit, list(agencies), public
        self.owner = owner if owner is not None else (agencies[0] if len(agencies) == 1 else None)
        self._entries: dict[str, _Entry] = {}
        #: node -> the move it was last moved at, in the order moved (each node once: a-71, 1)
        self._moved: dict[str, int] = {}
        self._seq = 0
        self._held = 0
        #: who may see the nodes and links named since, as read (:meth:`known`)
        self._nodes: dict[str, Audience] = {}
        self._links: dict[tuple[str, str], Audience] = {}  # by (type, id)
        #: (identifier, moved node) -> the linking links between them, as read (:meth:`known`)
        self._pairs: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}

    def forget(self) -> None:
        """Drop every bound: what the load knows of its identifiers may be wrong now."""
        self._entries.clear()
        self._moved.clear()
        self._held = 0
        self._nodes.clear()
        self._links.clear()
        self._pairs.clear()

    def linked(self, a: str, b: str, rel_type: str, link: str) -> None:
        """A link ``link`` of linking type ``rel_type`` between ``a`` and ``b`` was written (either
        may be the identifier): its level and its ends' are read again if needed."""
        for ident, holder in ((a, b), (b, a)):
            if ident in self._entries:
                self._entries[ident].near.setdefault(holder, set()).add((rel_type, link))
            self._nodes.pop(holder, None)
        self._links.pop((rel_type, link), None)

    def widened(self, a: str, b: str, rel_type: str, link: str) -> None:
        """Link ``link`` between ``a`` and ``b`` was written wider than it was (relevelled in
        place): as :meth:`linked`, and an agency of the load's audience may now see its holder
        through it, though the loader's own view counted that holder before (attack round a-98, 1:
        LA-POL's RED link to the phone, widened to TH-DSI after a flush of the same load counted
        the phone, was never counted for TH-DSI, who saw 6 holders of 5, unmarked)."""
        self.linked(a, b, rel_type, link)
        for ident, holder in ((a, b), (b, a)):
            if ident in self._entries:
                self._entries[ident].widened.add(holder)

    def moved(self, ids: Iterable[str]) -> None:
        """Nodes ``ids`` are seen by other agencies now: each may hold any identifier counted (the
        links between it and one are read by id to know: :meth:`unsure`)."""
        ids = list(ids)
        for i in ids:
            self._nodes.pop(i, None)
        if self._entries and ids:
            self._seq += 1
            for i in ids:
                self._moved.pop(i, None)  # kept once, at its last move
                self._moved[i] = self._seq
            if len(self._moved) > MAX_MOVED:
                self.forget()

    def dropped(self, ids: Iterable[str]) -> None:
        """Nodes ``ids`` were deleted (or their quarantine changed): counted again if linked again."""
        for i in ids:
            self._nodes.pop(i, None)
            if (entry := self._entries.pop(i, None)) is not None:
                self._held -= sum(map(len, entry.counted.values()))

    def due(self, ids: Iterable[str]) -> list[str]:
        """The identifiers of ``ids`` to count: those not counted yet this load, and those some view
        (not quarantined) of which might now hold more than the limit (a node named since whose
        level is not read counts for every view; a node moved since, for the identifiers it may
        hold: all of them until the links between the two are read)."""
        return [i for i in ids if not self._within(i)]

    def _changed(self, entry: _Entry) -> set[str]:
        """The holders the load made visible to more agencies since ``entry``'s count: the ends of
        links it widened in place, and the nodes it moved: a partner's view is counted again at
        those it may see, even where the loader's own views counted them (they saw them before)."""
        moved = {h for h, seq in self._moved.items() if seq > entry.at}
        return entry.widened | moved

    def _named(self, ident: str, entry: _Entry) -> dict[str, set[tuple[str, str]] | None]:
        """The nodes named since ``ident``'s count that may hold it, each with the links by which
        it may (None: not read, any): those the load linked to it, and those moved since that
        hold it by a link (or whose links to it are not read yet)."""
        named: dict[str, set[tuple[str, str]] | None] = {h: set(links) for h, links in entry.near.items()}
        for h, seq in reversed(self._moved.items()):
            if seq <= entry.at:
                break
            pair = self._pairs.get((ident, h))
            if pair is None:
                named[h] = None
            elif pair and (links := named.get(h, set())) is not None:
                named[h] = links | pair
        return named

    def unsure(self, ids: Iterable[str]) -> tuple[list[str], dict[str, list[str]], list[dict[str, str]]] | None:
        """What to read of identifiers ``ids`` to bound them: the nodes named since that everyone
        did not count, the links (by type) the load wrote to them, whose levels are not read yet
        (:meth:`known`), and the (holder ``h``, identifier ``i``) pairs of nodes moved since whose
        links to it are not read yet; None when there is nothing to read. What it names depends only on what
        the load wrote, never on how many holders a view counted (attack round a-71, 3)."""
        nodes: set[str] = set()
        links: dict[str, set[str]] = {}
        pairs: dict[tuple[str, str], None] = {}
        for ident in ids:
            entry = self._entries.get(ident)
            if entry is None or not entry.counted:
                continue
            public = entry.counted.get(None, frozenset())  # counted for every view
            for h, near in self._named(ident, entry).items():
                if h in public:
                    continue
                if h not in self._nodes:
                    nodes.add(h)
                if near is None:
                    pairs[(h, ident)] = None
                for rel_type, link in near or ():
                    if (rel_type, link) not in self._links:
                        links.setdefault(rel_type, set()).add(link)
        if not (nodes or links or pairs):
            return None
        return sorted(nodes), {t: sorted(ls) for t, ls in links.items()}, [{"h": h, "i": i} for h, i in pairs]

    def known(self, nodes: Iterable[str], links: Iterable[tuple[str, str]], node_props: Mapping[str, Mapping[str, Any]],
              link_props: Mapping[tuple[str, str], Mapping[str, Any]],
              pairs: Mapping[tuple[str, str], Iterable[tuple[str, str]]] = {}) -> None:  # noqa: B006 (read only)
        """The levels read of ``nodes`` and ``links`` ((type, id): :meth:`unsure`'s): ``*_props``, by
        the same keys, their stored properties (``owner``, ``tlp``, ``sharedWith``); one not there
        is gone (seen by nobody). ``pairs``: (identifier, holder) -> the links between them read
        (their properties among ``link_props``)."""
        if len(self._nodes) + len(self._links) + len(self._pairs) > MAX_LEVELS:
            self._nodes.clear()
            self._links.clear()
            self._pairs.clear()
        for n in nodes:
            self._nodes[n] = item_audience(node_props[n]) if n in node_props else GONE
        for x in links:
            self._links[x] = item_audience(link_props[x]) if x in link_props else GONE
        for pair, between in pairs.items():
            self._pairs[pair] = frozenset(between)
            for x in between:
                self._links[x] = item_audience(link_props[x]) if x in link_props else GONE

    def _may_see(self, view: str | None, holder: str, links: Iterable[tuple[str, str]] | None) -> bool:
        """Whether ``view`` (None: everyone) may see ``holder`` and one of ``links`` (None: any of
        its links, not read), as read; one not read yet, it may."""
        def sees(seen: Audience) -> bool:
            return seen is None or (view is not None and view in seen)
        if holder in self._nodes and not sees(self._nodes[holder]):
            return False
        return links is None or any(x not in self._links or sees(self._links[x]) for x in links)

    def _within(self, ident: str) -> bool:
        entry = self._entries.get(ident)
        if entry is None:
            return False
        if not entry.counted:
            return True
        named = self._named(ident, entry)
        # what the loader's views counted, less what the load widened since (a-98, 1)
        known = (entry.counted.get(None, frozenset()) | entry.counted.get(self.owner, frozenset())) \
            - self._changed(entry)
        for view, held in entry.counted.items():
            if view is not None and view != self.owner:  # a partner's: by what the loader counted alone
                if any(h not in known and self._may_see(view, h, links) for h, links in named.items()):
                    return False
            elif len(held) + sum(1 for h, links in named.items()
                                 if h not in held and self._may_see(view, h, links)) > self.limit:
                return False
        # a public load's holders are every agency's: by what the loader counted (issue 10, 2, 3)
        return not (self.public and any(h not in known for h in named))

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
            # a partner's mark is not the loader's to go by (issue 10, 3): its own is
            counted.update((v["agency"], frozenset(seen[v["agency"]])) for v in row["audience"]
                           if not (v["quarantined"] and v["agency"] == self.owner))
        held = sum(map(len, counted.values()))
        old = self._entries.pop(row["id"], None)
        self._held -= sum(map(len, old.counted.values())) if old is not None else 0
        if self._held + held > MAX_HELD:
            self.forget()
        self._entries[row["id"]] = _Entry(counted, self._seq)
        self._held += held
        return {"id": row["id"], "holders": len(public), "hidden": int(row.get("hidden") or 0),
                "quarantined": row["quarantined"], "marks": row["marks"],
                "audience": [{"agency": v["agency"], "holders": len(seen[v["agency"]]),
                              "quarantined": v["quarantined"]} for v in row["audience"]]}


async def bound_closer(store: Any, bounds: HolderBounds, ids: list[str], types: list[str],
                       batch_size: int) -> list[str]:
    """The identifiers of ``ids`` due (:meth:`HolderBounds.due`) once the levels of the nodes named
    since and of the load's links to them are read by id (``ingest/existing_nodes``,
    ``ingest/existing_relationships``), and the links of ``types`` between the nodes moved since and
    each identifier, by id pair (``ingest/holder_links``): a holder a view cannot read is no new
    holder of that view, and a node moved that holds no link to an identifier none of its. Read
    whenever the load named something not read yet, whether or not the identifier is due, so that
    the reads tell nothing of a count (attack round a-71, 3)."""
    unsure = bounds.unsure(ids)
    if unsure is None:
        return bounds.due(ids)
    nodes, links, pairs = unsure
    node_props: dict[str, Mapping[str, Any]] = {}
    link_props: dict[tuple[str, str], Mapping[str, Any]] = {}
    between: dict[tuple[str, str], list[tuple[str, str]]] = {(p["i"], p["h"]): [] for p in pairs}
    for i in range(0, len(nodes), batch_size):
        for row in await store.read("ingest/existing_nodes", {"ids": nodes[i:i + batch_size]}):
            node_props[str(row["id"])] = row["props"] or {}
    for rel_type, of_type in links.items():
        for i in range(0, len(of_type), batch_size):
            for row in await store.read("ingest/existing_relationships", {"ids": of_type[i:i + batch_size]},
                                        type=rel_type):
                link_props[(rel_type, str(row["id"]))] = row["props"] or {}
    for i in range(0, len(pairs), batch_size):
        for row in await store.read("ingest/holder_links", {"rows": pairs[i:i + batch_size], "types": types}):
            link = (str(row["type"]), str(row["id"]))
            between[(str(row["i"]), str(row["h"]))].append(link)
            link_props[link] = row["props"] or {}
    bounds.known(nodes, [(t, x) for t, of_type in links.items() for x in of_type], node_props, link_props, between)
    return bounds.due(ids)
