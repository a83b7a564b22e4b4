"""An agency's statements follow its sharing (per-value provenance: :mod:`graphapi.ingest.statements`).

- ``share``: the agency's statements about an item that were seen at least as widely as the item
  before the share (those its fields are built from) open up with it, to the same agencies and
  level; the ones narrower than the item (records the owner meant for fewer agencies) stay as
  they were said (attack round 5, F5: sharing the node opened them to the new agencies).
- ``unshare``: every statement of the agency about the item loses the agencies.

A statement brought to another level is another statement (its id names its level): it is
written under its new id, merged with the same source's statement already at that level, and
the old one deleted. Other agencies' statements keep the audience their agencies gave them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from graphapi.ingest.statements import Statement
from graphapi.ontology.tlp import audience, reaches_all
from graphapi.store import GraphStore
from graphapi.store.base import DEFAULT_BATCH_SIZE

#: A statement's new level (tlp, sharedWith), or None to leave it where it is.
Move = Callable[[Statement], tuple[str, tuple[str, ...]] | None]


async def widen_statements(store: GraphStore, agency: str, items: Iterable[Mapping], agencies: Sequence[str],
                           tlp: str | None, stricter: Sequence[str]) -> None:
    """After a share: ``items`` are the rows ``security/share_nodes`` or ``share_relationships``
    returned (``id``, ``tlpBefore``, ``sharedWithBefore``)."""
    before = {r["id"]: audience(r["tlpBefore"], agency, r["sharedWithBefore"]) for r in items}

    def move(stmt: Statement) -> tuple[str, tuple[str, ...]] | None:
        if not reaches_all(audience(stmt.tlp or None, stmt.owner, stmt.shared_with), before[stmt.entity]):
            return None  # narrower than the item: said for fewer agencies, and stays so
        level = tlp if tlp is not None and (stmt.tlp or "RED") in stricter else stmt.tlp
        return level, _without(stmt.shared_with, agencies) + tuple(agencies)

    await _relevel(store, agency, list(before), move)


async def narrow_statements(store: GraphStore, agency: str, ids: Sequence[str], agencies: Sequence[str]) -> None:
    """After an unshare of items ``ids``: the agency's statements about them lose ``agencies``."""
    await _relevel(store, agency, ids, lambda stmt: (stmt.tlp, _without(stmt.shared_with, agencies)))


def _without(shared_with: Iterable[str], agencies: Sequence[str]) -> tuple[str, ...]:
    return tuple(x for x in shared_with if x not in agencies)


async def _relevel(store: GraphStore, agency: str, ids: Sequence[str], move: Move,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    for i in range(0, len(ids), batch_size):
        rows = await store.read("provenance/statements_of", {"ids": list(ids[i:i + batch_size])})
        mine = [Statement.from_props(r["props"]) for r in rows if r["props"].get("owner") == agency]
        write, gone = _moved(mine, move)
        if write:
            await store.write("provenance/write_statements", {"rows": [{"id": s.id, "props": s.props()} for s in write]})
        if gone:
            await store.write("provenance/delete_statements", {"ids": sorted(gone)})


def _moved(stmts: list[Statement], move: Move) -> tuple[list[Statement], set[str]]:
    """The statements to write (each at its new level, merged with the others landing on its id,
    first seen first) and the ids to delete (moved away, and not landed on)."""
    landed: dict[str, list[Statement]] = {}
    moved_from: set[str] = set()
    for stmt in stmts:
        level = move(stmt)
        after = stmt if level is None or level == (stmt.tlp, stmt.shared_with) else stmt.at_level(*level)
        if after is not stmt:
            moved_from.add(stmt.id)
        landed.setdefault(after.id, []).append(after)
    write = []
    for group in landed.values():
        if len(group) == 1 and any(group[0] is s for s in stmts):
            continue  # stayed where it was, alone
        group.sort(key=lambda s: min((e[1] for e in s.entries.values()), default=""))
        merged = group[0].at_level(group[0].tlp, group[0].shared_with)
        for later in group[1:]:
            merged.absorb(later)
        write.append(merged)
    return write, moved_from - set(landed)
