"""The circuit breaker across loads, in the writer: new links to a quarantined identifier are
kept as text, and an identifier linked to too many entities is quarantined.

Quarantine is decided per audience (hidden data never changes a visible result): a load counts
only the holders its agency may see, and only the links and holders everyone may see, counted in
the store, make the ``quarantined`` flag that every reader reads. A quarantine within one load,
the guard's, is never that flag: once the load's links are written, it is marked for the agencies
of the load's audience that may see every holder the guard counted and the links it let through,
as stored (:meth:`CorrelationChecks._mark_guard_quarantines`; attack round 55, 1 and 7). Past the limit for the
loading agency alone (its own hidden links, or another's it was shared), the identifier is marked
for that agency in ``quarantinedFor`` (internal, never shown): that agency reads it as
quarantined, and its later links to it become text; every other reader is shown what its own
view decides (``cypher/fragments/quarantined.fragment``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphapi.ingest.blind_diverted import tell_diverted
from graphapi.ingest.guard import load_exclusions
from graphapi.ingest.holder_bounds import bound_closer
from graphapi.ingest.merge import union
from graphapi.ingest.pending_recounts import note_relevelled, recount_noted
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.public_views import other_marks
from graphapi.ingest.records import EdgeRecord
from graphapi.ingest.widened_checks import WidenedChecks
from graphapi.ontology.tlp import audience
from graphapi.store.base import IN_QUARANTINE

if TYPE_CHECKING:  # retraction reads this module's rules (through write_rules)
    from graphapi.ingest.retraction import Retractions

#: The internal mark of the agencies an identifier is quarantined for (see the module docstring).
MARKS = "quarantinedFor"
#: 1 on an identifier quarantined for anyone (the flag or a mark), set with them: the indexed
#: property security/quarantined_identifiers seeks (settle_quarantine lifts it with them)
INDEXED = IN_QUARANTINE


def marked_agencies(prov: Provenance) -> list[str]:
    """The agencies a load's quarantine is for when the holders everyone may see stay within the
    limit: the load's audience (its owner, and at AMBER the agencies it is shared with); of a
    public load, its owner (the other agencies' views its holders reach are counted apart:
    :mod:`graphapi.ingest.public_views`)."""
    return sorted(audience(prov.tlp, prov.owner, prov.shared_with) or {prov.owner})


def quarantined_for(props: dict[str, Any] | None, agency: str | None) -> bool:
    """True if an item of properties ``props`` is quarantined for ``agency`` (in Python, the rule
    of ``cypher/fragments/quarantined.fragment``)."""
    if not props:
        return False
    return bool(props.get("quarantined")) or (agency is not None and agency in (props.get(MARKS) or ()))


def stored_quarantined(old: dict[str, Any] | None, agency: str | None) -> bool:
    """True if the stored node (``read_stored_nodes``'s row, or the state this run wrote) is
    quarantined for ``agency`` (flagged, or marked for it: graphapi.ingest.write_correlation); the
    writer reads the whole of an identifier its guard quarantined (``NodeWriting._probe_props``)."""
    if old is None:
        return False
    return quarantined_for(old.get("props"), agency)


@dataclass(frozen=True)
class Correlation:
    """The circuit breaker's policy for the writer: ``linking`` relationship types, which labels
    are identifiers (``is_identifier``), and the ``limit`` of distinct linked entities
    (``graphapi.ingest.guard``, ``seed/exclusions/``)."""

    linking: frozenset[str]
    is_identifier: Callable[[str], bool]
    limit: int
    #: the holders the guard counted of an identifier it quarantined, and those it let link
    counted: Callable[[str], tuple[list[str], list[str]]] | None = None


class CorrelationChecks(WidenedChecks):
    """:class:`graphapi.ingest.writer.Writer`'s circuit breaker (runs on its state)."""

    _policy_read: tuple[frozenset[str], int] | None = None  # (:meth:`_policy`, once a writer)

    def _label_of(self, nid: str) -> str | None:
        """The label of node ``nid``: written this run, or read from the store
        (:meth:`_learn_labels`)."""
        return self._labels.get(nid) or self._stored_labels.get(nid)

    async def _learn_labels(self, node_ids: Iterable[str]) -> None:
        """Read the labels of the nodes of ``node_ids`` this run has no record of (one read per
        batch): a link to a stored identifier is checked whether or not the load names it in a
        node record (attack round 55, 4), and a link made text is kept on a holder it names only
        by id (attack round 55, 2)."""
        ids = list(dict.fromkeys(n for n in node_ids if n not in self._labels and n not in self._stored_labels))
        if not ids:
            return
        from graphapi.ingest.write_rules import _specific  # write_rules reads this module's rule

        if len(self._stored_labels) >= self.cache_size:
            self._stored_labels.clear()
        for i in range(0, len(ids), self.batch_size):
            for row in await self.store.read("ingest/node_labels", {"ids": ids[i:i + self.batch_size],
                                                                    "agency": self.viewer}):
                label = _specific(self.model, row["labels"] or [])
                if label is not None:
                    self._stored_labels[row["id"]] = label

    def _identifier_end(self, row: dict[str, Any]) -> tuple[str, str] | None:
        """``(identifier id, holder id)`` of a linking relationship row, or None if neither
        endpoint is an identifier node this run has seen or read."""
        corr = self.correlation
        assert corr is not None
        end_label, start_label = self._label_of(row["end"]), self._label_of(row["start"])
        if end_label and corr.is_identifier(end_label):
            return row["end"], row["start"]
        if start_label and corr.is_identifier(start_label):
            return row["start"], row["end"]
        return None

    async def _divert_quarantined(self, rel_type: str, rows: list[dict[str, Any]], recs: dict[str, EdgeRecord],
                                  props_of: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows to write: a new link to an identifier a past load quarantined is not written
        but kept as text on its holder (``identifiers: ["Phone:+66..."]``, as the guard does
        within a load), for an analyst to review; stored links asserted again stay."""
        await self._learn_labels(n for r in rows for n in (r["start"], r["end"]))
        candidates = []
        for row in rows:
            ends = self._identifier_end(row)
            # one this load's guard quarantined: it let through only the links before its limit
            if ends is not None and ends[0] not in self._quarantined_here:
                candidates.append({"id": row["id"], "ident": ends[0], "holder": ends[1]})
        diverted: set[str] = set()
        for i in range(0, len(candidates), self.batch_size):
            for out in await self.store.read("ingest/quarantined_links", {"rows": candidates[i:i + self.batch_size],
                                                                          "agency": self.prov.owner},
                                             type=rel_type):
                diverted.update(out["ids"])
        if not diverted:
            return rows
        untold = []  # of the load's own victims: diverted all the same, told as wrong guesses' (blind_diverted)
        for c in candidates:
            if c["id"] in diverted:
                text = f"{self._label_of(c['ident'])}:{c['ident'].split(':', 1)[-1]}"
                if c["ident"] in self.blind:
                    if self._label_of(c["holder"]) is None:
                        # no holder the load may see: the write answers it as a wrong guess's link,
                        # dangling (the victim's identifier gains no link: there is no holder to
                        # write it from); kept-as-text wording and a count of it told the victim's
                        # quarantined phone (attack round a-67, 4)
                        diverted.discard(c["id"])
                        continue
                    self._keep_text(c["holder"], text, recs[c["id"]], untold=True)
                    untold.append({**c, "text": text, "props": props_of[c["id"]]})
                    continue
                self._keep_text(c["holder"], text, recs[c["id"]], c["ident"])
                if c["ident"] not in self.counts.quarantined:
                    self.counts.quarantined.append(c["ident"])
        if untold:
            await tell_diverted(self, untold, recs)
        return [r for r in rows if r["id"] not in diverted]

    async def _check_correlation(self, rows: list[dict[str, Any]]) -> None:
        """The circuit breaker across loads: the guard stops links within one load; here the
        identifiers that new linking relationships touched are counted in the store, per
        audience (see the module docstring): one linked to more distinct entities than the limit
        that everyone may see is flagged ``quarantined``; else one past it for an agency of the
        load's audience is marked for that agency."""
        corr = self.correlation
        assert corr is not None
        idents = {ends[0]: None for ends in map(self._identifier_end, rows) if ends is not None}
        # only those the load's own changes since their last count might have taken past the limit
        # (holder_bounds: a delta of DEL/ADD pairs to a hub read it whole per pair, a-62, 6)
        assert self._bounds is not None
        # a holder named since that a view cannot read is none of its (a-68, 3); a node moved
        # since that holds no link to it neither (a-71, 1)
        due = await bound_closer(self.store, self._bounds, list(idents), sorted(corr.linking), self.batch_size)
        if not due:
            return
        # one read per batch counts for everyone and for each agency of the load's audience
        counted = [row for row in await self._holders(due, marked_agencies(self.prov)) if not row["quarantined"]]
        flagged = [row["id"] for row in counted if row["holders"] > corr.limit]
        marks: dict[str, list[str]] = {}
        own: set[str] = set()  # marked for the load's own agency: what its summary counts
        for row in counted:
            if row["holders"] > corr.limit:
                continue  # flagged for everyone: no mark needed
            for view in row["audience"]:  # the holders everyone may see are within the limit
                if view["holders"] > corr.limit and not view["quarantined"]:
                    marks[row["id"]] = union(marks.get(row["id"], row["marks"]), [view["agency"]])
                    if view["agency"] == self.prov.owner:
                        own.add(row["id"])
            # every agency sees a public load's holders: the others' views too (issue 10, 2)
            if past := await other_marks(self.store, self._bounds, row, sorted(corr.linking), self.prov.owner):
                marks[row["id"]] = union(marks.get(row["id"], row["marks"]), past)
        updates = [{"id": i, "props": {"quarantined": True, INDEXED: 1}} for i in flagged]
        updates += [{"id": i, "props": {MARKS: m, INDEXED: 1}} for i, m in marks.items()]
        if not updates:
            return
        # quarantined now for everyone or the loader: counted again once, to know it; a partner's
        # mark changes nothing the loader goes by (issue 10, 3)
        self._bounds.dropped(i for i in (*flagged, *own))
        await self.store.write_batches("ingest/update_nodes", updates, self.batch_size)
        for u in updates:
            if u["id"] in self._known:
                self._known[u["id"]][1].update(u["props"])
        # the summary counts what the loader itself now reads as quarantined, never a mark of an
        # agency it shares with, made by that agency's hidden holders (attack round 53, 1)
        told = [*flagged, *sorted(own)]
        self.counts.quarantined.extend(i for i in told if i not in self.counts.quarantined)

    def _policy(self) -> tuple[frozenset[str], int]:
        """The linking relationship types and correlation limit: the load's, or (an operator's
        load, which has none) the policy's (seed/exclusions, parsed once a writer)."""
        if self._policy_read is None:  # read once: a replace asks it for each link it narrows
            corr = self.correlation
            if corr is not None:
                self._policy_read = corr.linking, corr.limit
            else:
                ex = load_exclusions()
                self._policy_read = frozenset(ex.linking_relationships), ex.correlation_limit
        return self._policy_read

    async def _note_relevelled(self, ends: Iterable[str], near: Iterable[str], rel_type: str | None = None) -> None:
        """Note the quarantined identifiers among ``ends`` (of relationships of ``rel_type``
        relevelled: only a linking type's count) and linked to nodes ``near`` (holders relevelled),
        in the turn that relevelled them, for the recount at close: a relevel narrowing a link or a
        holder in place takes it from some views as a retraction does (attack round a-62, 7: an
        owner's --replace reload at RED left the flag its GREEN links had made)."""
        ends, near = list(dict.fromkeys(ends)), list(dict.fromkeys(near))
        if not (ends or near):
            return
        types = self._policy()[0]
        if rel_type is not None and rel_type not in types:
            return
        if await note_relevelled(self.store, ends, near, sorted(types)):
            self._retracted = True

    def _bound_links(self, rel_type: str, recs: Iterable[EdgeRecord]) -> None:
        """Tell the breaker's bounds (:mod:`graphapi.ingest.holder_bounds`) the ends of links
        ``recs`` of ``rel_type`` the load wrote (a linking type's: either may be an identifier)."""
        if self._bounds is not None and self.correlation is not None and rel_type in self.correlation.linking:
            for rec in recs:
                self._bounds.linked(rec.start, rec.end, rel_type, rec.id)

    def _bound_widened(self, rel_type: str, rows: Iterable[dict[str, Any]]) -> None:
        """Tell the breaker's bounds that links ``rows`` of ``rel_type`` were widened in place:
        counted again for the partners who may see their holders now (attack round a-98, 1)."""
        if self._bounds is not None:
            for row in rows:
                self._bounds.widened(row["start"], row["end"], rel_type, row["id"])

    def _bound_moved(self, ids: Iterable[str]) -> None:
        """Tell the breaker's bounds (:mod:`graphapi.ingest.holder_bounds`) that nodes ``ids`` may
        be seen by other agencies now (held anew as placeholders at another link, re-owned)."""
        if self._bounds is not None:
            self._bounds.moved(ids)

    def _bound_deletes(self, done: Retractions, nodes: Iterable[str]) -> None:
        """Tell the breaker's bounds (:mod:`graphapi.ingest.holder_bounds`) what the load's DELs
        did: a link deleted only takes a holder away, and a placeholder or node deleted is a new one
        if made again (``nodes``: the ids the DELs named); a placeholder held anew at another link
        (its owner, level or agencies changed) may be seen by another agency now, as a node whose
        level moved (attack round a-68, 2: TH-DSI saw 6 holders past the limit of 5, unmarked); a
        node deleted or left with other statements (its placeholders may be held anew elsewhere,
        its level recomputed) or an item re-owned (another agency may see it now) leaves them
        nothing to go by. A DEL of a node nobody stored changes nothing: per pair of a delta it
        made every pair count the hub again (attack round a-68, 1)."""
        if self._bounds is None:
            return
        if done.nodes_deleted or done.nodes_retracted or done.reowned:
            self._bounds.forget()
        else:
            self._bounds.dropped([*done.dropped, *nodes])
            self._bounds.moved(done.held)

    async def _recount_noted(self) -> None:
        """Recount the quarantined identifiers at the ends of the links deleted (noted by each
        retraction batch: :mod:`graphapi.ingest.pending_recounts`), once each, after the load's
        deletes: a partner's mark its links made lifts (attack round 55, 5), and one a killed run
        noted too (a-58, 3)."""
        if not self._retracted:
            return
        self._retracted = False
        types, limit = self._policy()
        async with self._exclusively():
            await recount_noted(self.store, types, limit)

    async def _mark_guard_quarantines(self) -> None:
        """Mark the identifiers this load's guard quarantined (within the load, past the limit)
        for the agencies of the load's audience that may see every holder it counted and the
        links it let through, as written (their own levels, or levels an earlier load gave them):
        never wider, so holders a partner may not see never quarantine for it (attack round 55, 1).
        A separate update of the stored node, after the load's links: a narrower record of the
        identifier carries nothing onto a wider node (attack round 55, 7)."""
        corr = self.correlation
        if corr is None or corr.counted is None or not self._quarantined_here:
            return
        rows = []
        for ident in sorted(self._quarantined_here):
            holders, linked = corr.counted(ident)
            if holders:
                rows.append({"id": ident, "holders": holders, "linked": linked})
        updates = []
        for i in range(0, len(rows), self.batch_size):
            for row in await self.store.read("ingest/guard_holders_seen",
                                             {"rows": rows[i:i + self.batch_size], "types": sorted(corr.linking),
                                              "agencies": marked_agencies(self.prov), "agency": self.prov.owner}):
                marks = union(row["marks"], row["agencies"])
                if row["agencies"] and set(marks) != set(row["marks"]):
                    updates.append({"id": row["id"], "props": {MARKS: marks, INDEXED: 1}})
        if updates:
            await self.store.write_batches("ingest/update_nodes", updates, self.batch_size)
            for u in updates:
                if u["id"] in self._known:
                    self._known[u["id"]][1].update(u["props"])

    async def _holders(self, ids: list[str], agencies: list[str]) -> list[dict[str, Any]]:
        """``ingest/identifier_holders``'s rows of ``ids``: the holders everyone may see, and those
        each of ``agencies`` may see (a row's ``audience``, in the order of ``agencies``), read
        by name (``ingest/identifier_holder_sets``) and kept in the load's bounds."""
        corr = self.correlation
        assert corr is not None and self._bounds is not None
        types, out = sorted(corr.linking), []
        for i in range(0, len(ids), self.batch_size):
            out += [self._bounds.counted(row) for row in await self.store.read(
                "ingest/identifier_holder_sets", {"ids": ids[i:i + self.batch_size], "types": types,
                                                  "agencies": agencies})]
        return out

    def _note_quarantined_here(self, buffered: dict[str, tuple[str, dict[str, Any]]],
                               existing: dict[str, dict[str, Any]]) -> None:
        """Note the identifiers this load's guard quarantined that were not quarantined for the
        loader before it: their links before its limit are still in the buffer, to be written, not
        diverted as new links to an identifier a past load quarantined."""
        for nid in buffered:
            if nid in self._guard_quarantined and not stored_quarantined(existing.get(nid), self.prov.owner):
                self._quarantined_here.add(nid)

