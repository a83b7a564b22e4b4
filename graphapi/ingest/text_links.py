"""Links the circuit breaker keeps out, kept as text on their holders: a link to a quarantined
identifier (or a placeholder) is not written; its holder gets the identifier as text and the load a
warning line naming it, or, where no holder of that id may be written, a reject line naming the link
(:class:`graphapi.ingest.write_correlation.CorrelationChecks` decides which links; this writes them).
"""

from __future__ import annotations

from dataclasses import replace

from graphapi.ingest.blind_diverted import write_untold
from graphapi.ingest.guard import HolderText
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin


class TextLinks:
    """:class:`graphapi.ingest.writer.Writer`'s links kept as text (runs on its state)."""

    def keep_as_text(self, held: HolderText) -> None:
        """Keep the guard's link made text on a holder the load names only by id, once its label
        is read (:meth:`_place_held_text`, at close)."""
        self._held_text.append(held)

    async def _place_held_text(self) -> None:
        """The links :meth:`keep_as_text` holds, as text on their holders."""
        held, self._held_text = self._held_text, []
        await self._learn_labels(h.holder for h in held)
        for h in held:
            self._keep_text(h.holder, h.text, h.link, h.ident)

    async def _write_text_links(self) -> None:
        """Write the links kept as text on their holders; the reject line of one refused (its
        holder seen more widely than the load: "would disclose") names the link and the text lost
        too, not the holder alone (attack round a-58, 7)."""
        diverted, self._text_links = self._text_links, []
        untold, self._untold_text = self._untold_text, []
        if untold:
            await write_untold(self, untold)
        first = len(self.counts.rejected)
        for rec, _ in diverted:
            await self._add_node(rec)
        await self.flush_nodes()
        lost = {(rec.id, *_where(rec.origin)): (rec, link) for rec, link in diverted}
        for n, rej in enumerate(self.counts.rejected[first:], start=first):
            found = lost.get(((rej.raw or {}).get("id"), rej.file, rej.line))
            if found is not None:
                rec, link = found
                text = ", ".join(rec.properties["identifiers"])
                self.counts.rejected[n] = replace(rej, reason=f"{rej.reason}; the {link.type} {link.id} to "
                                                  f"{text}, kept as text on it, is lost", raw={
                                                      **rej.raw, "link": link.id, "text": text})

    def _keep_text(self, holder: str, text: str, link: EdgeRecord, ident: str | None = None, *,
                   untold: bool = False) -> None:
        """Keep a link not written (to a quarantined identifier ``ident``, or a placeholder) as
        ``text`` on its ``holder``, a warning line naming it (:mod:`graphapi.ingest.quarantine_notes`);
        of a holder neither this load nor the store (as the loader may see it) holds, a reject
        line names the link: nothing is lost unsaid (attack round 55, 2). ``untold``: a link to the
        load's own victim's identifier, whose text is written telling the load nothing
        (:mod:`graphapi.ingest.blind_diverted`)."""
        label = self._label_of(holder)
        if label is not None:
            kept = (NodeRecord(label, holder, {"identifiers": [text]}, link.origin), link)
            (self._untold_text if untold else self._text_links).append(kept)
            if ident is not None and self.diverted is not None:
                self.diverted.note(link, ident, text, holder)
            return
        self._refuse(link.origin, {"id": link.id, "start": link.start, "end": link.end},
                     f"{link.type} to {text} is not written (the identifier is quarantined) and cannot be kept "
                     f"as text on {holder}: no node of that id this load may write", restricted=False)


def _where(origin: Origin | None) -> tuple[str, int]:
    """A record's (file, line), as its reject line gives them."""
    return (origin.file, origin.line) if origin else ("", 0)
