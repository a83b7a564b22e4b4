"""Provenance merge: how a record's properties combine with what is already stored.

Rules (DESIGN.md "a value two sources disagree on is kept with both sources, never silently
overwritten"):

- ``sources`` and ``sharedWith``: set union, first-seen order kept.
- ``firstSeen``: the minimum, ``lastSeen``: the maximum (ISO 8601 UTC strings compare
  lexicographically).
- ``recordId`` (the record that asserted a relationship): the first stays, silently; a later record
  asserting the same relationship again is more provenance, not a disagreement (its dataset is in
  ``sources``).
- ``owner`` and ``tlp``: the first value stays, even when a real record resolves a placeholder
  (who holds an item and how far it is seen never change by a merge); a later different value is
  not a conflict (it is no value of the item: each source's statement keeps its own owner and
  level, read through ``values`` by those who may see it).
- multi-valued properties (``Property.multiple``): union, order kept.
- single-valued properties: a missing value is filled; an equal value changes nothing; a different
  value keeps the stored one and is recorded in ``conflicts`` as a JSON string
  ``{"property": ..., "value": ..., "sources": [...]}`` (set semantics, so a reload adds nothing).
- placeholders (``unresolved: true``, made for a reference that has no row of its own) never
  conflict: a real record replaces a placeholder's single values, and a placeholder merged into a
  real node adds only its provenance. ``unresolved`` stays true only while every contributor is a
  placeholder.

All functions are pure and work on plain dicts, so the same rules apply in every loader and in
tests without a store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

#: Provenance properties with their own merge rule.
PROVENANCE = ("sources", "firstSeen", "lastSeen", "owner", "tlp", "sharedWith", "recordId")
#: Properties the loader derives from the others: a new value replaces the old, never a conflict.
DERIVED = ("caption", "searchText", "searchLatin", "searchNames", "searchPrefixes", "searchWords", "searchKeys",
            "searchAudience")
#: Bookkeeping properties the loader maintains itself.
BOOKKEEPING = ("conflicts", "unresolved", "caption", "searchText", "searchLatin", "searchNames", "searchPrefixes",
               "searchWords", "searchKeys", "searchAudience", "id")


def union(a: Iterable[Any] | None, b: Iterable[Any] | None) -> list[Any]:
    """Order-keeping union of two value lists (``None`` counts as empty; scalars as one value)."""
    out: list[Any] = []
    seen: set[Any] = set()
    for seq in (a, b):
        if seq is None:
            continue
        if isinstance(seq, str | int | float | bool):
            seq = [seq]
        for v in seq:
            # scalars are their own key (type-tagged so 1 and "1" and True stay apart)
            k = (type(v), v) if isinstance(v, str | int | float | bool) else json.dumps(
                v, sort_keys=True, default=str)
            if k not in seen:
                seen.add(k)
                out.append(v)
    return out


def conflict_entry(prop: str, value: Any, sources: Iterable[str]) -> str:
    """The JSON string recorded in ``conflicts`` for a value that disagrees with the stored one."""
    return json.dumps(
        {"property": prop, "value": value, "sources": sorted(set(sources))},
        sort_keys=True,
        ensure_ascii=False,
    )


def merge_properties(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    multiple: frozenset[str] | set[str],
) -> dict[str, Any]:
    """Merge ``new`` into the stored ``old`` (both full property maps incl. provenance).

    ``multiple`` names the list-valued properties of the label or relationship type. Returns the
    merged map (a new dict); neither argument is modified. ``None`` values in ``new`` are ignored.
    A value that disagrees with the stored one is kept in ``conflicts`` with its sources; a name
    that does (a second spelling, a local-script form beside a Latin one) is also an ``alias``,
    found by search, its source in the name's statements (``docs/provenance.md``).
    """
    if not old:
        return {k: v for k, v in new.items() if v is not None}
    out = dict(old)
    old_placeholder = bool(old.get("unresolved"))
    new_placeholder = bool(new.get("unresolved"))
    new_sources = list(new.get("sources") or [])

    out["sources"] = union(old.get("sources"), new.get("sources"))
    out["sharedWith"] = union(old.get("sharedWith"), new.get("sharedWith"))
    if not out["sharedWith"]:
        out.pop("sharedWith")
    for key, pick in (("firstSeen", min), ("lastSeen", max)):
        vals = [v for v in (old.get(key), new.get(key)) if v]
        if vals:
            out[key] = pick(vals)
    conflicts = union(old.get("conflicts"), new.get("conflicts"))
    other_names: list[Any] = []  # a second spelling of the name (another script): an alias too

    for key, value in new.items():
        if value is None or key in ("sources", "sharedWith", "firstSeen", "lastSeen", "conflicts",
                                     "unresolved", "id"):
            continue
        if key in multiple:
            if new_placeholder and not old_placeholder and old.get(key):
                continue
            merged = union(old.get(key), value)
            if merged:
                out[key] = merged
            continue
        current = old.get(key)
        if key == "recordId" and current:
            continue  # the first asserting record stays; a later one is not a disagreement
        if key in ("owner", "tlp") and current is not None:
            continue  # who holds it and how far it is seen stay
        if current is None or current == "" or (old_placeholder and not new_placeholder):
            out[key] = value
        elif current != value and not new_placeholder and key not in DERIVED:
            conflicts = union(conflicts, [conflict_entry(key, value, new_sources)])
            if key == "name" and "alias" in multiple:
                other_names.append(value)
    if other_names:
        out["alias"] = union(out.get("alias"), other_names)
    if conflicts:
        out["conflicts"] = conflicts
    if old_placeholder and new_placeholder:
        out["unresolved"] = True
    else:
        out.pop("unresolved", None)
    return out
