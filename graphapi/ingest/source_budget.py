"""How many sources an agency may name on an item another agency owns.

Each source a record names becomes a statement about the item, one per level it is said at
(:mod:`graphapi.ingest.statements`), and every reader of the item's ``values`` reads them all:
without a bound, one partner's file of a thousand lines, each naming 100 datasets, makes another
agency's node slow to read for everyone (attack round 6, G4). An agency may therefore name at
most :data:`MAX_FOREIGN_SOURCES` sources on an item it does not own, a source said at two levels
counting twice (attack round 9: sixteen loads of 99 datasets at sixteen sharing levels made 1,584
statements under a 99-source count); a record that would pass that is refused with its reason.

Sources are not all: one line of 1,000 aliases under 99 datasets made 99,000 values for every
reader of the item's ``values`` to read, and more jobs with new aliases under the same datasets
added as many again without a new source (attack round 10, G4V: 12.6 MB, 10 s). So an agency's
statements on an item it does not own hold at most :data:`MAX_FOREIGN_VALUES` values in all,
counted as the statements store them (a value under two sources counts twice).

The count is per agency, so no partner can use up another's budget or the owner's, and the
owner's own items are not bounded (what it says of its own data is its own affair). A record
that asserts no value (a relationship named with no amount or role) makes no statement, so no
agency's count holds its sources: an item's list of sources takes at most
:data:`MAX_ITEM_SOURCES` from other agencies' records whatever they assert.

The store is asked only about the items a load for an agency merges into another agency's: an
agency's load of its own data, and an operator's load, never pay for the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphapi.ingest.statements import NOT_ASSERTED, asserted_entries, asserting_sources
from graphapi.ontology import load_model
from graphapi.store import GraphStore

#: Sources one agency may name on one item another agency owns.
MAX_FOREIGN_SOURCES = 100
#: Sources an item may list once another agency's record is merged into it.
MAX_ITEM_SOURCES = 1_000
#: Values one agency's statements may hold on one item another agency owns.
MAX_FOREIGN_VALUES = 5_000


def statement_keys(props: Mapping[str, Any], load_source: str) -> set[tuple[str, str, tuple[str, ...]]]:
    """The (source, level) keys of the statements record properties ``props`` of a load of
    ``load_source`` make: one per source it speaks for (``asserting_sources``), at its level."""
    return {_key(s, props.get("tlp"), props.get("sharedWith"))
            for s in asserting_sources(props.get("sources") or [], load_source)}


def asserted_values(props: Mapping[str, Any], load_source: str) -> int:
    """How many values the statements of record properties ``props`` hold at most: each value
    the record asserts (:func:`~graphapi.ingest.statements.asserted_entries`, of every property
    but bookkeeping, provenance and search fields), once per source it speaks for (values the
    store holds already are counted again: the bound errs towards refusing a record that would
    reach it)."""
    skipped = NOT_ASSERTED | set(load_model().provenance)
    count = len(asserted_entries([k for k in props if k not in skipped and not k.startswith("search")], props))
    return count * len(asserting_sources(props.get("sources") or [], load_source)) if count else 0


def _key(source: str, tlp: Any, shared_with: Any) -> tuple[str, str, tuple[str, ...]]:
    return source, str(tlp or ""), tuple(sorted(shared_with or ()))


def foreign_record(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """True if record properties ``new`` come from another agency than the stored item ``old``'s
    owner: its budget on the item is checked (one read per flush for such items; a source said
    at many levels makes many statements, so the item's own list of sources cannot tell)."""
    return bool(new.get("owner")) and new.get("owner") != old.get("owner")


async def over_budget(store: GraphStore, records: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]],
                      load_source: str) -> dict[str, str]:
    """Of ``records`` (item id -> (stored properties, the record's), each a
    :func:`foreign_record` of a load of ``load_source``), those that would pass the agency's
    budget on the item or the item's own bound: id -> the reason to refuse the record. One read
    per agency among the records."""
    by_owner: dict[str, list[str]] = {}
    for item_id, (_old, new) in records.items():
        by_owner.setdefault(str(new["owner"]), []).append(item_id)
    named = {item_id: statement_keys(new, load_source) for item_id, (_old, new) in records.items()}
    values = {item_id: asserted_values(new, load_source) for item_id, (_old, new) in records.items()}
    for owner, ids in by_owner.items():
        for row in await store.read("provenance/sources_by_owner", {"ids": sorted(ids), "owner": owner}):
            named[row["entity"]].add(_key(str(row["source"]), row["tlp"], row["sharedWith"]))
            values[row["entity"]] += int(row["values"] or 0)
    out: dict[str, str] = {}
    for item_id, (old, new) in records.items():
        held = old.get("owner") or "another agency"
        listed = len(set(old.get("sources") or ()) | set(new.get("sources") or ()))
        if len(named[item_id]) > MAX_FOREIGN_SOURCES:
            out[item_id] = (f"too many sources: {item_id} is held by {held} and your agency's records would name "
                            f"{len(named[item_id]):,} sources on it, a source at each level it is said at counted "
                            f"once (at most {MAX_FOREIGN_SOURCES:,} on an item your agency does not own); not merged")
        elif values[item_id] > MAX_FOREIGN_VALUES:
            out[item_id] = (f"too many values: {item_id} is held by {held} and your agency's statements on it would "
                            f"hold up to {values[item_id]:,} values, each value counted once per source it is said "
                            f"by (at most {MAX_FOREIGN_VALUES:,} on an item your agency does not own); not merged")
        elif listed > MAX_ITEM_SOURCES:
            out[item_id] = (f"too many sources: {item_id} is held by {held} and would list {listed:,} sources "
                            f"(at most {MAX_ITEM_SOURCES:,} once other agencies' records are merged); not merged")
    return out
