"""Orders a reader can observe, keyed by the ids that reader is shown.

To a principal without ``victim-data`` a protected entity (a victim, a phone or account a victim
uses) shows as its ``vid:`` token, and a relationship touching one as the relationship's token
(``graphapi.security.victim_ids``). Wherever the order of an answer, or which items a cut keeps,
falls back on an id, it must be the id shown: ordered by the stored id, a victim's place among
visible ids (``per-aung-kyaw`` < victim < ``per-somchai``) narrowed the id, i.e. the name or
number it spells, by bisection; and a relationship's place narrowed the hash of its ends' ids,
checkable offline against a guess. A token is a pseudo-random function of the id under the
server's key: its place tells nothing the token itself does not.

Services ask :func:`shown_ids` once (one ``security/protected_ids`` round trip; none for a
holder of ``victim-data``, who is shown real ids), or :func:`shown_nodes` with the nodes they read
anyway (the same round trip), and sort with :meth:`ShownIds.node` and
:meth:`ShownIds.relationship` as keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graphapi.investigate.entities import get_shown_nodes
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims, protected_ids
from graphapi.security.victim_ids import PREFIX, victim_ids
from graphapi.store import GraphStore, Node, Relationship


def shown_id(stored_id: str, protected: bool) -> str:
    """The id a reader is shown for ``stored_id``: its token if ``protected`` (for that reader:
    :class:`ShownIds`, or a statement's own ``hidden`` flag), else itself."""
    return victim_ids().opaque(stored_id) if protected else stored_id


@dataclass(frozen=True)
class ShownIds:
    """Which of the ids asked about are protected for the reader, and the id shown for each."""

    protected: frozenset[str]

    def node(self, node_id: str) -> str:
        """The id shown for ``node_id``: its token if protected, else itself."""
        return shown_id(node_id, node_id in self.protected)

    def relationship(self, rel: Relationship) -> str:
        """The id shown for ``rel``: its token if either end is protected, else its id."""
        return self.relationship_id(rel.id, rel.start, rel.end)

    def relationship_id(self, rel_id: str, start: str, end: str) -> str:
        """:meth:`relationship` from the relationship's id and its ends' ids."""
        return shown_id(rel_id, start in self.protected or end in self.protected)


async def shown_ids(store: GraphStore, principal: Principal, ids: Iterable[str]) -> ShownIds:
    """The :class:`ShownIds` of ``ids`` (node ids: a relationship's ends) for ``principal``;
    ids not among ``ids`` count as not protected. One round trip at most."""
    return ShownIds(frozenset(await protected_ids(store, principal, ids)))


async def shown_nodes(store: GraphStore, principal: Principal, ids: Sequence[str]) -> tuple[dict[str, Node], ShownIds]:
    """:func:`graphapi.investigate.entities.get_nodes` and :func:`shown_ids` of the nodes found, in
    one round trip (``entity/shown_by_ids``): ``({id: Node}, ShownIds)``, nothing protected for a
    holder of ``victim-data`` (who is shown real ids)."""
    nodes, protected = await get_shown_nodes(store, principal, ids)
    return nodes, ShownIds(frozenset() if may_see_victims(principal) else frozenset(protected))


#: Round trips :func:`first_shown` makes over a few ids at a time before it asks about the rest.
LAZY_ROUNDS = 2


async def first_shown(store: GraphStore, principal: Principal, ids: Sequence[str], count: int,
                      also: Sequence[str] = ()) -> tuple[list[str], frozenset[str]]:
    """The first ``count`` of the distinct ``ids`` (node ids) in the order of the ids shown, in that
    order: what ``sorted(ids, key=shown.node)[:count]`` of :func:`shown_ids` gives, asking which
    are protected of as few ids as decide it; and which of the ids asked about are protected (all
    it returns are among them, and ``also``: ids asked about with the first).

    A token starts with ``vid:``, so an unprotected id below ``vid:`` comes before every token:
    once ``count`` ids, checked in stored-id order from the smallest, are unprotected and below
    it, no other id can come before them. A neighbourhood's second hop found ~1,200 neighbours
    for ~100 places and asked about all of them (2.5 ms of the store's time a call). Round trips:
    usually one; again for as many ids as the protected ones displaced (LAZY_ROUNDS at most); then
    the rest at once. None for a holder of ``victim-data``.
    """
    protected: set[str] = set()
    pending = list(also)

    async def ask(batch: Sequence[str]) -> set[str]:
        found = await protected_ids(store, principal, [*pending, *batch])
        pending.clear()
        protected.update(found)
        return found

    if count <= 0 or not ids:
        await ask([])
        return [], frozenset(protected)
    if len(ids) <= count:
        await ask(ids)
        return sorted(ids, key=ShownIds(frozenset(protected)).node), frozenset(protected)
    if may_see_victims(principal):
        return sorted(ids)[:count], frozenset()
    by_id = sorted(ids)
    below = sum(1 for i in by_id if i < PREFIX)  # by_id[:below] come before every token if unprotected
    kept: list[str] = []
    checked = rounds = 0
    while len(kept) < count and checked < below and rounds < LAZY_ROUNDS:
        rounds += 1
        need = count - len(kept)
        # a few more than needed: one protected id among them would cost another round trip
        batch = by_id[checked:min(below, checked + need + need // 8 + 1)]
        found = await ask(batch)
        kept += [i for i in batch if i not in found]
        checked += len(batch)
    if len(kept) >= count:
        return kept[:count], frozenset(protected)
    await ask(by_id[checked:])
    return sorted(by_id, key=ShownIds(frozenset(protected)).node)[:count], frozenset(protected)
