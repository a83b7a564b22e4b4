"""What one mapped entity made of the columns it reads, remembered: an event feed names the same
phone, account or checkpoint on thousands of rows, and cleaning its values and making its id
again for each row was a fifth of a load's Python.

An entity's result is a pure function of the row's cells in the columns its spec reads (value
types, templates, refine steps and gazetteers are; row hints are not, so a mapping whose hints
read a column is not remembered). Only an entity that was made is remembered, with what it
marked on the row: the columns whose value it used and those whose value did not clean (the row
is rejected for those unless another entity uses them). An entity that reads no column, or that
reads the row's identity (``{_line}``: new on every row), is not remembered; nor, after a while,
is one whose rows rarely repeat (a subscriber list names each person once).
"""

from __future__ import annotations

from typing import Any

#: Remembered results per entity; past it the memo starts over (repeats only cost time).
MEMO_MAX = 100_000
#: (node id, properties, columns it used, (column, why) of values that did not clean)
Made = tuple[str, dict[str, Any], frozenset[str], tuple[tuple[str, str], ...]]
#: Look-ups after which an entity whose rows rarely repeat stops being remembered.
TRIAL = 4_096


class EntityMemo:
    """The remembered results of one mapped entity, keyed by its columns' cells."""

    __slots__ = ("columns", "one", "results", "hits", "misses")

    def __init__(self, columns: tuple[str, ...] | None) -> None:
        #: the columns the entity reads, in a fixed order; None: not remembered
        self.columns = columns or None
        #: the column, when the entity reads one: its cell is the key itself, no tuple built per row
        self.one = columns[0] if columns and len(columns) == 1 else None
        #: key -> Made, and whether a property holds a list
        self.results: dict[Any, tuple[str, dict[str, Any], frozenset[str], tuple[tuple[str, str], ...], bool]] = {}
        self.hits = self.misses = 0

    def key(self, row: dict[str, Any]) -> Any:
        """The entity's cells on ``row`` (its one cell, if it reads one column), or None when it
        is not remembered (the reader's loop does the same inline: it runs for every row)."""
        if self.columns is None:
            return None
        return row.get(self.one) if self.one is not None else tuple(map(row.get, self.columns))

    def get(self, key: Any) -> Made | None:
        """``(node id, properties, used columns, failed (column, why))`` made of ``key``, or None.
        The properties are a copy the caller may change. (The reader's loop does the same
        inline: a hit counted in ``hits``, a miss told to :meth:`missed`, :func:`own_copy`.)"""
        got = self.results.get(key)
        if got is None:
            self.missed()
            return None
        self.hits += 1
        node_id, props, used, failed, lists = got
        return node_id, own_copy(props, lists), used, failed

    def missed(self) -> None:
        """Count a look-up that found nothing: after :data:`TRIAL` look-ups, an entity found less
        than one time in eight stops being remembered (its rows rarely repeat)."""
        self.misses += 1
        if self.hits + self.misses >= TRIAL and self.hits * 7 < self.misses:  # hits < 1/8 of look-ups
            self.columns, self.one, self.results = None, None, {}

    def put(self, key: Any, node_id: str, props: dict[str, Any], used: set[str],
            failed: dict[str, str]) -> None:
        """Remember what the entity made of ``key`` (a copy of ``props``)."""
        if self.columns is None:
            return
        if len(self.results) >= MEMO_MAX:
            self.results.clear()
        self.results[key] = (node_id, {k: v.copy() if type(v) is list else v for k, v in props.items()},
                             frozenset(used), tuple(failed.items()), any(type(v) is list for v in props.values()))


def own_copy(props: dict[str, Any], lists: bool) -> dict[str, Any]:
    """A copy of remembered ``props`` the caller may change: of each list too if ``lists`` (a
    property holds one), else (a phone, a checkpoint: no list) in one C-level copy."""
    return {k: v.copy() if type(v) is list else v for k, v in props.items()} if lists else props.copy()
