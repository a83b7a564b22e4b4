"""The circuit breaker's check of what a load widens without a new link: a holder an owner's MOD
widens in place, and the holders and links a DEL or a replace re-owns to a wider statement
(:class:`graphapi.ingest.write_correlation.CorrelationChecks` runs it on the writer's state).

Each widening is noted before its write (:mod:`graphapi.ingest.pending_widenings`: killed between
the write and the count, the next writer recounts it) and counted once written, then unnoted. A
widened holder's links are followed only where an agency gaining the holder may see them
(:mod:`graphapi.ingest.widened_links`): another agency's hidden link on it never changes what the
loader's note and count read or write (attack round a-95, 1 and 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from graphapi.ingest import pending_widenings
from graphapi.ingest.widened_breaker import check_widened
from graphapi.ingest.widened_links import Audience, gain, gained_links

if TYPE_CHECKING:  # retraction reads the writer's rules (through write_rules)
    from graphapi.ingest.retraction import Retractions


class WidenedChecks:
    """The widened-holder and re-own checks of :class:`CorrelationChecks` (runs on its state)."""

    async def _note_widened_holders(self, widened: Mapping[str, tuple[Audience, Audience]]) -> list[dict[str, Any]]:
        """The links from holders ``widened`` (the loader's own, widened by this flush: id -> who saw
        it, who sees it now) to the identifiers they link to, through links an agency gaining the
        holder may see, read before the write that widens them, those identifiers noted
        (:mod:`graphapi.ingest.pending_widenings`): killed between that write and the count, the
        rerun finds them widened already and counted nothing; the next writer recounts them now."""
        corr = self.correlation
        if corr is None or not widened:
            return []
        await self._learn_labels(widened)
        gains = {h: gain(*seen) for h, seen in widened.items()
                 if not ((label := self._label_of(h)) and corr.is_identifier(label))}
        rows = await gained_links(self.store, gains, corr.linking)
        await pending_widenings.note(self.store, (r["end"] for r in rows))
        return rows

    async def _check_widened_holders(self, rows: list[dict[str, Any]]) -> None:
        """The breaker's check of the identifiers that widened holders link to (``rows``, from
        :meth:`_note_widened_holders`), once the load widened them (an owner's MOD of its RED
        holder at AMBER shared with TH-DSI: TH-DSI may count it now), as a new link's (attack
        round a-71, 2); through the bounds, so a widening that cannot take a view past the limit
        counts nothing. Then unnoted."""
        if not rows:
            return
        await self._learn_labels(r["end"] for r in rows)
        await self._check_correlation(rows)
        await pending_widenings.unnote(self.store, (r["end"] for r in rows))  # counted: none left

    async def _check_reowned(self, done: Retractions) -> None:
        """The breaker's check of the identifiers that the nodes and relationships ``done`` re-owned
        (by the load's DELs or replace, each with the agencies that see it now, None: everyone)
        link to or end at: re-owned to a wider statement, a holder or a link is seen by agencies
        that did not see it, outside the load's audience too (attack round a-79, 2: KH-NP's DEL
        re-owned p-1 to LA-POL's GREEN record, and TH-DSI saw 6 of the limit of 5, unmarked; a-82,
        1: the same of KH-NP's link re-owned to LA-POL's GREEN statement of it). Counted as a
        share's widening is, for those agencies and, re-owned to everyone, for every agency seeing
        holders not everyone may see."""
        corr = self.correlation
        if corr is None or not (done.reowned_nodes or done.reowned_links):
            return  # (an operator's load counts nothing: the next writer recounts what it noted)
        types, limit = sorted(corr.linking), corr.limit
        links: dict[str, list[dict[str, Any]]] = {"public": [], "shared": []}
        for (rel_type, rid), seen in sorted(done.reowned_links.items(), key=lambda kv: kv[0]):
            if rel_type in corr.linking:
                links["public" if seen is None else "shared"].append({"type": rel_type, "id": rid})
        for kind, rows in links.items():  # their ends, read once, when noted: none of their statements says them
            links[kind] = await self._link_ends(done, rows)
        public = sorted(i for i, seen in done.reowned_nodes.items() if seen is None)
        if public or links["public"]:
            await check_widened(self.store, public, links["public"], [], public=True, types=types, limit=limit,
                                gains=done.gains)
        shared = sorted(i for i, seen in done.reowned_nodes.items() if seen is not None)
        if shared or links["shared"]:
            seen = [*(done.reowned_nodes[i] for i in shared),
                    *(done.reowned_links[(r["type"], r["id"])] for r in links["shared"])]
            await check_widened(self.store, shared, links["shared"], {a for s in seen for a in s or ()},
                                types=types, limit=limit, gains=done.gains)
        await pending_widenings.unnote(self.store, done.widened)  # counted: none left to a rerun

    async def _link_ends(self, done: Retractions, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``rows`` (``type``, ``id`` of relationships ``done`` re-owned) with their stored ``start``
        and ``end``: those the retraction read when it noted them (``done.reowned_ends``), the
        others (a type the load's policy links and the store's does not) read now."""
        missing: dict[str, list[str]] = {}
        for r in rows:
            if (r["type"], r["id"]) not in done.reowned_ends:
                missing.setdefault(r["type"], []).append(r["id"])
        for rel_type, ids in missing.items():
            done.reowned_ends.update({(rel_type, i): e for i, e in
                                      (await pending_widenings.link_ends(self.store, rel_type, ids)).items()})
        return [{"type": r["type"], "id": r["id"], "start": ends[0], "end": ends[1]} for r in rows
                if (ends := done.reowned_ends.get((r["type"], r["id"]))) is not None]

