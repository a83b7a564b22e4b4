"""The tap on a load's record stream, between its reader and its identifier guard.

Rejections are split out to the reject report (the link records a rejected row still names kept
for the writer's echo rule), records counted for progress, ids made canonical (or the record
rejected), and a node record that repeats the last one of its id word for word dropped
(:class:`Tap`). :func:`graphapi.ingest.pipeline.run_load` puts it on every load.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from graphapi.ingest.load_gc import FREEZE_EVERY, freeze_survivors
from graphapi.ingest.readers.base import Item
from graphapi.ingest.records import DrawnLinksDeletion, EdgeRecord, LineRenewal, NodeRecord, Rejection
from graphapi.ontology.ids import InvalidId, canonical_id, is_canonical_id

#: How many node ids the repeat filter remembers (then it starts over; repeats only cost time).
REPEAT_WINDOW = 200_000
#: Link records of rejected rows the tap holds before it hands them on (:class:`LinksRefused`): a
#: file of nothing but rejected wide lines held every one until the load's end (attack round 52, 2:
#: 2 million records, 2 GB, from a 1 MB upload).
REJECTED_LINKS_HELD = 10_000


@dataclasses.dataclass(frozen=True)
class LinksRefused:
    """What the tap yields, between records, once :data:`REJECTED_LINKS_HELD` link records of
    rejected rows wait: no record (nothing is written of them), only their links, for
    ``Writer.refuse_links``. The guard passes it through as it passes anything not a record."""

    links: tuple[EdgeRecord, ...]


def _ids_canonical(item: NodeRecord | EdgeRecord) -> bool:
    if type(item) is NodeRecord:
        return is_canonical_id(item.id)
    return is_canonical_id(item.start) and is_canonical_id(item.end)  # its own id is a hash


def _canonical_ids(item: NodeRecord | EdgeRecord) -> NodeRecord | EdgeRecord | Rejection:
    """``item`` with canonical ids (``graphapi.ontology.ids``), or why it has none. The readers
    check the ids they read; this is the net under all of them (an FtM reference, say), since
    an empty or padded id kills the embedded store."""
    try:
        if isinstance(item, NodeRecord):
            return dataclasses.replace(item, id=canonical_id(item.id, f"{item.label} id"))
        return dataclasses.replace(item, start=canonical_id(item.start, f"{item.type} from"),
                                   end=canonical_id(item.end, f"{item.type} to"))
    except InvalidId as exc:
        o = item.origin
        raw = {"id": item.id} if isinstance(item, NodeRecord) else {"start": item.start, "end": item.end}
        return Rejection(o.file if o else "", o.line if o else 0, str(exc), raw)


class Tap:
    """Passes items through, splitting out rejections and counting records for progress.

    Also drops a node record that repeats, word for word, the last one seen with its id (same
    label, properties, source, line and op ``merge``; no DEL since, nor MOD of the id): an event feed
    names the same phone or account on thousands of rows, and the guard and the writer would each
    decide again that it adds nothing.
    Edges are never dropped (each carries its own recordId). Ids are made canonical, and a
    record whose id cannot be is rejected (:func:`_canonical_ids`), unless ``ids_checked``: the
    reader says (``canonical_ids = True``) that it made every node and endpoint id canonical.
    ``rejected_links``: the link records the rejected rows named (``Rejection.links``) since the
    last :meth:`take_links`, for ``Writer.refuse_links``: their echoes no wider (attack round 51, 1);
    past :data:`REJECTED_LINKS_HELD` of them they are yielded (:class:`LinksRefused`)."""

    def __init__(self, items: Iterable[Item], sink: Callable[[Rejection], None],
                 tick: Callable[[], None] | None, *, ids_checked: bool = False) -> None:
        self.items, self.sink, self.tick = items, sink, tick
        self.ids_checked = ids_checked  # the reader made every id canonical itself: not checked twice
        self._last: dict[str, tuple[str, bool, str | None, dict[str, Any], str]] = {}
        self.repeats = 0
        self.rejected_links: list[EdgeRecord] = []

    def take_links(self) -> list[EdgeRecord]:
        """The link records of the rows rejected since the last call."""
        links, self.rejected_links = self.rejected_links, []
        return links

    def __iter__(self) -> Iterator[NodeRecord | EdgeRecord | DrawnLinksDeletion | LineRenewal | LinksRefused]:
        last, checked = self._last, self.ids_checked
        until_freeze = FREEZE_EVERY
        for item in self.items:
            if isinstance(item, Rejection):
                if item.links:  # held here until taken, not in the report's list too
                    self.rejected_links.extend(item.links)
                    item = dataclasses.replace(item, links=())
                self.sink(item)
                if len(self.rejected_links) >= REJECTED_LINKS_HELD:
                    yield LinksRefused(tuple(self.take_links()))
                continue
            if self.tick is not None:
                self.tick()
            until_freeze -= 1
            if not until_freeze:  # what the load keeps is never scanned again (load_gc)
                until_freeze = FREEZE_EVERY
                freeze_survivors()
            # a DEL of a link entity by its id alone names no node: its links are found by recordId
            # (a line's renewal, by its line)
            if not checked and not isinstance(item, DrawnLinksDeletion | LineRenewal) and not _ids_canonical(item):
                item = _canonical_ids(item)
                if isinstance(item, Rejection):
                    self.sink(item)
                    continue
            if type(item) is NodeRecord and item.op == "merge" and not item.renews:  # a line's MOD (replaced_lines)
                # another line's record of the node is that line's statement (line_deletes)
                key = (item.label, item.unresolved, item.origin.source if item.origin else None, item.properties,
                       item.line)
                if last.get(item.id) == key:
                    self.repeats += 1
                    continue
                if len(last) >= REPEAT_WINDOW:
                    last.clear()
                last[item.id] = key
            elif item.op == "delete":  # after a DEL the same record says something again (a DEL
                last.clear()             # may take a placeholder with its last link: any id)
            elif type(item) is NodeRecord:  # ... and after a MOD of its id
                last.pop(item.id, None)
            yield item
