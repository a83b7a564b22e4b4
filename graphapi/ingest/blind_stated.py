"""A blind record never becomes a victim's stored role (attack round a-84, 5).

A victim-blind load's record of a guess's link with the id of the victim's own case link
(``per-vic-1 INVOLVED_IN`` the victim's case, ``role: witness``) is merged into the victim's link,
its statement kept there as any source's. A single-valued value is rebuilt first seen first when
a source withdraws (attack round a-75, 5b), so feed-a's and feed-b's blind ``witness``, seen
before the victim's owner's ``victim``, won the role once feed-b's replace (or feed-a's DEL) made
the link rebuild: the victim stayed protected (``victimMarkOwners``) but her stored role was the
blind loader's guess. So the link keeps ``blindStated``: the sources whose statements on it a
blind load made alone (none of theirs was on it before its first such record: not a colleague's
with victim-data under the shared feed); on a rebuild of a victim-marking link (``INVOLVED_IN``,
``HELD_AT``) their values give way to any other statement's, and the list keeps only the sources
still holding a statement there."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphapi.ingest.statements import Statement
from graphapi.ingest.victim_marks import MARKS

#: the link property (relationships.yaml, internal)
BLIND_STATED = "blindStated"


def stated_rows(rid: str, stored: Mapping[str, Any], props: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``ingest/add_blind_stated`` row of a blind record (stamped ``props``) merged into the
    stored link ``rid`` (``stored``): its sources with no statement there before; none if all had."""
    before = set(stored.get("sources") or ())
    fresh = [s for s in props.get("sources") or () if s not in before]
    return [{"id": rid, "sources": fresh}] if fresh else []


def stated_with_merge(rid: str, old: Mapping[str, Any], props: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """Put the ``rows`` (:func:`stated_rows`) of the link ``rid`` into the ``props`` its merge
    writes over ``old``: written in the same statement as the merge's new sources, so a load killed
    after the merge (at ``ingest/add_blind_stated``) leaves no source stored that the rerun takes
    for one held before (attack round a-90, 8)."""
    fresh = [s for r in rows if r["id"] == rid and "shadow" not in r for s in r["sources"]]
    if fresh:
        props[BLIND_STATED] = sorted(set(old.get(BLIND_STATED) or ()) | set(fresh))


async def add_blind_stated(writer: Any, rel_type: str, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` (:func:`stated_rows`) once the flush's writes are done (a merge's map
    would put the old list back)."""
    if rows:
        writer.counts.batches += (await writer.store.write_batches("ingest/add_blind_stated", rows,
                                                                   writer.batch_size, type=rel_type)).batches


def others_first(rel_type: str, names: Mapping[str, Any], props: Mapping[str, Any], stmts: list[Statement],
                 out: dict[str, Any], values_of: Callable[[list[Statement]], Mapping[str, Any]]) -> dict[str, Any]:
    """``out`` (the values ``stmts`` give the link ``props`` of ``rel_type``: ``names`` its asserted
    properties) with each single value a statement of a source not in its ``blindStated`` gives
    taken from those statements (``values_of`` them), and ``blindStated`` kept to the sources
    still holding one."""
    blind = set(props.get(BLIND_STATED) or ())
    if not blind:
        return out
    left = sorted({s.source for s in stmts if s.source in blind})
    out[BLIND_STATED] = left or None
    others = [s for s in stmts if s.source not in blind]
    if rel_type not in MARKS or not others or not left:
        return out
    theirs = values_of(others)
    for name, prop in names.items():
        if not prop.multiple and theirs.get(name) is not None:
            out[name] = theirs[name]
    return out
