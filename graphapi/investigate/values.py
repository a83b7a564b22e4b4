"""Who said what: the values of one property of entities or relationships, each with the sources
that asserted it (per-value provenance, :mod:`graphapi.ingest.statements`; docs/provenance.md).

Visibility is decided in the statement (``cypher/provenance/values.cypher``,
``relationship_values.cypher``): the entity (a relationship and both its ends) and each
statement on its own, so a value only another agency's AMBER statement asserts is not
shown to a reader outside that agency's audience, and a source the reader may not see is never
named.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graphapi.errors import InvalidArgument
from graphapi.ingest.statements import NOT_ASSERTED, asserted_relationship_properties
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.store import GraphStore


@dataclass(frozen=True)
class ValueSource:
    """One source's assertion of a value: dataset / partner id, the record that first said it
    (``file:line`` or a source id), first and last seen (ISO 8601 UTC), owner agency and TLP."""

    source: str
    record_id: str
    first_seen: str
    last_seen: str
    owner: str
    tlp: str


@dataclass(frozen=True)
class PropertyValue:
    """One value of a property (as stored, as text) and the visible sources asserting it."""

    value: str
    sources: tuple[ValueSource, ...]


def check_property(name: str) -> str:
    """``name`` if some label asserts a property of that name; InvalidArgument otherwise, naming
    the closest such properties (``phon``: did you mean 'phone'?)."""
    model = load_model()
    known = {p for lb in model.labels.values() for p, spec in lb.properties.items()
             if not spec.internal and p not in NOT_ASSERTED}
    if name not in known:
        raise InvalidArgument(f"property must be an ontology property sources assert, got {name[:100]!r}"
                              + _closest(name, known))
    return name


def check_relationship_property(name: str) -> str:
    """``name`` if some relationship type has a property of that name sources assert (``amount``,
    ``role``, ``durationS``, ``from``...); InvalidArgument otherwise, naming the closest ones."""
    model = load_model()
    known = {p for rt in model.relationships.values() for p in asserted_relationship_properties(rt)}
    if name not in known:
        raise InvalidArgument(f"property must be a relationship property sources assert, got {name[:100]!r}"
                              + _closest(name, known))
    return name


def _closest(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'phone'?`` with up to three of ``known`` closest to ``name`` (case aside),
    else where the names are listed. Ontology names are public (docs/ontology.md), unlike the
    schema names whose "Did you mean" graphql-core hints production strips."""
    by_lower = {k.lower(): k for k in sorted(known)}
    lower = name[:100].lower()
    close = [lower] if lower in by_lower else difflib.get_close_matches(lower, by_lower, n=3, cutoff=0.6)
    if not close:
        return "; the properties of each label and relationship type are in docs/ontology.md"
    return f"; did you mean {' or '.join(repr(by_lower[c]) for c in close)}?"


async def property_values(store: GraphStore, principal: Principal, ids: Sequence[str],
                          prop: str) -> dict[str, list[PropertyValue]]:
    """``{id: [PropertyValue]}`` for ``ids`` (hidden or unknown ids: ``[]``), values ordered by
    when they were first seen, sources by first seen then name; one round trip."""
    check_property(prop)
    if not ids:
        return {}
    rows = await store.read("provenance/values", {"ids": list(dict.fromkeys(ids)), "property": prop,
                                                  **principal.cypher_params()})
    return _by_value(ids, rows)


async def relationship_property_values(store: GraphStore, principal: Principal, rels: Sequence[tuple[str, str, str]],
                                       prop: str) -> dict[str, list[PropertyValue]]:
    """As :func:`property_values`, for relationships given as ``(id, start id, end id)``: a hidden
    relationship, or one with a hidden end, answers ``[]``; so does one written before
    relationships had statements (its ordinary fields still read)."""
    check_relationship_property(prop)
    if not rels:
        return {}
    given = [{"id": i, "start": a, "end": b} for i, a, b in dict.fromkeys(rels)]
    rows = await store.read("provenance/relationship_values", {"rels": given, "property": prop,
                                                               **principal.cypher_params()})
    return _by_value([r[0] for r in rels], rows)


def _by_value(ids: Sequence[str], rows: list) -> dict[str, list[PropertyValue]]:
    """The statement rows of ``provenance/values`` as each id's values with their sources."""
    out: dict[str, dict[str, list[ValueSource]]] = {i: {} for i in ids}
    for row in rows:
        by_value = out.setdefault(row["entity"], {})
        for said in row["said"] or []:
            by_value.setdefault(str(said["value"]), []).append(ValueSource(
                source=str(row["source"]), record_id=str(said["recordId"] or ""),
                first_seen=str(said["firstSeen"] or ""), last_seen=str(said["lastSeen"] or ""),
                owner=str(row["owner"] or ""), tlp=str(row["tlp"] or "")))
    answer: dict[str, list[PropertyValue]] = {}
    for nid, by_value in out.items():
        values = [PropertyValue(v, tuple(sorted(srcs, key=lambda s: (s.first_seen, s.source))))
                  for v, srcs in by_value.items()]
        values.sort(key=lambda pv: (pv.sources[0].first_seen, pv.value))
        answer[nid] = values
    return answer


async def visible_sources(store: GraphStore, principal: Principal, ids: Sequence[str]) -> dict[str, list[str]]:
    """``{id: sorted sources}`` of the statements about ``ids`` the principal may see (statement
    ``provenance/visible_sources``: visibility in the Cypher); an id with none visible (hidden,
    unknown, or a node written before statements) is absent. One round trip."""
    if not ids:
        return {}
    rows = await store.read("provenance/visible_sources", {"ids": list(dict.fromkeys(ids)),
                                                           **principal.cypher_params()})
    return {r["entity"]: sorted({str(s) for s in r["sources"] if s is not None}) for r in rows}
