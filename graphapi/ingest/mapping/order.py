"""Date order rules of a mapping (``order:``): dates of one row that cannot come in another order
(a victim repatriated before being rescued, a border crossed before the traveller's birth).

A rule names two cleaned date or datetime properties, each ``<entity>.<property>`` or
``<RELATIONSHIP_TYPE>.<property>`` of the mapping, the one that must not be later first::

    order:
      - {before: INVOLVED_IN.rescued, after: INVOLVED_IN.repatriated, action: flag}
      - {before: traveller.birthDate, after: CROSSED.at, action: reject}

When both hold values and ``before`` is later than ``after`` (compared at the coarser of the two
precisions: ``1980`` is not later than ``1980-05-01T10:00:00``; a calendar day and a UTC instant
with one day of slack for the instant's time zone; of several values, the earliest ``before`` and
the latest ``after``), the row is rejected with the reason (``action: reject``, the
default) or loaded with the reason added to ``dateConflicts`` of the relationship that holds one
of the dates (else of the ``after`` entity) for an analyst's review (``action: flag``). Never
stored silently. Two properties of one relationship type are compared within each relationship.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ontology import Model

ACTIONS = ("reject", "flag")
FLAG = "dateConflicts"
_DATES = ("date", "datetime")


@dataclass(frozen=True, slots=True)
class OrderRule:
    """One compiled rule: ``(owner, property)`` of the earlier and the later date, the action."""

    before: tuple[str, str]
    after: tuple[str, str]
    action: str


def _ref(text: Any, where: str, doc: dict[str, Any], model: Model) -> tuple[str, str]:
    """``(owner, property)`` of ``"owner.property"``, checked: the owner is an entity or a
    relationship type of the mapping, the property a date or datetime it has."""
    if not isinstance(text, str) or "." not in text:
        raise MappingError(f"{where}: {text!r} is no '<entity or RELATIONSHIP>.<property>'")
    owner, prop = text.rsplit(".", 1)
    entities = doc.get("entities") or {}
    types = {r.get("type") for r in doc.get("relationships") or []}
    if owner in entities:
        properties = model.label(entities[owner]["label"]).properties
    elif owner in types:
        properties = model.relationship(owner).properties
    else:
        raise MappingError(f"{where}: {owner!r} is no entity or relationship type of the mapping")
    if prop not in properties or properties[prop].type not in _DATES:
        raise MappingError(f"{where}: {text!r} is no date or datetime property")
    return owner, prop


def compile_order(doc: dict[str, Any], model: Model) -> tuple[OrderRule, ...]:
    """The ``order:`` rules of a mapping document; raises :class:`MappingError` naming the place."""
    rules = doc.get("order") or []
    if not isinstance(rules, list):
        raise MappingError("order: a list of {before, after, action} rules")
    out = []
    for i, rule in enumerate(rules):
        where = f"order[{i}]"
        keys = set(rule) if isinstance(rule, dict) else set()
        if not keys or keys - {"before", "after", "action"} or not {"before", "after"} <= keys:
            raise MappingError(f"{where}: a rule is {{before: X.p, after: Y.q, action: reject|flag}}; got {rule!r}")
        action = rule.get("action", "reject")
        if action not in ACTIONS:
            raise MappingError(f"{where}: action {action!r} is not one of {', '.join(ACTIONS)}")
        out.append(OrderRule(_ref(rule["before"], where, doc, model), _ref(rule["after"], where, doc, model), action))
    return tuple(out)


def _later(a: str, b: str) -> bool:
    """True if ISO date or datetime ``a`` is surely later than ``b``, compared at the coarser
    precision of the two. A calendar date (``1983``, ``1983-04-01``) against a UTC instant gives
    the instant a day of slack each way: its own local day may be the one before or after its UTC
    day (a crossing at 06:47 in Bangkok on a birthday is 23:47 UTC the day before)."""
    if len(a) > 10 >= len(b):
        a = _shift(a, -1)
    elif len(b) > 10 >= len(a):
        b = _shift(b, 1)
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def _shift(instant: str, days: int) -> str:
    """The calendar day ``days`` from the UTC day of ``instant``."""
    try:
        return (dt.date.fromisoformat(instant[:10]) + dt.timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return instant[:10]


def _holders(owner: str, nodes: dict[str, NodeRecord], edges: list[EdgeRecord]) -> list[NodeRecord | EdgeRecord]:
    node = nodes.get(owner)
    return [node] if node is not None else [e for e in edges if e.type == owner]


def _dates(record: NodeRecord | EdgeRecord, prop: str) -> list[str]:
    value = record.properties.get(prop)
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v]


def check_order(rules: tuple[OrderRule, ...], nodes: dict[str, NodeRecord], out: list[Any]) -> str:
    """Apply ``rules`` to a row's records (``nodes`` by entity name, ``out`` all its records):
    the reason to reject the row, or "" (a ``flag`` rule's finding added to ``dateConflicts``)."""
    edges = [r for r in out if isinstance(r, EdgeRecord)]
    for rule in rules:
        (b_owner, b_prop), (a_owner, a_prop) = rule.before, rule.after
        for first in _holders(b_owner, nodes, edges):
            for second in _holders(a_owner, nodes, edges):
                if b_owner == a_owner and first is not second:
                    continue  # two dates of one relationship type: within each relationship
                earlier, later = _dates(first, b_prop), _dates(second, a_prop)
                if not earlier or not later or not _later(min(earlier), max(later)):
                    continue
                finding = f"{a_owner}.{a_prop} {max(later)} is before {b_owner}.{b_prop} {min(earlier)}"
                if rule.action == "reject":
                    return f"impossible date order: {finding}"
                target = second if isinstance(second, EdgeRecord) or not isinstance(first, EdgeRecord) else first
                flags = target.properties.setdefault(FLAG, [])
                if finding not in flags:
                    flags.append(finding)
    return ""
