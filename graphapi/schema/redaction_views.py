"""What one record shows a reader: its ids, its properties with a victim's blanked, and which of
its fields are free text to scrub of victims' names (:mod:`graphapi.schema.security_redaction`
says what is redacted and why). A view is made once per record, where the record becomes a
GraphQL type (:class:`graphapi.schema.shown.Shown`); fields read it, so a field nothing can change
costs one set lookup, never a coroutine (issue 14: a per-field wrapper ran on all ~770 fields of a
neighbourhood).

``answer(name, value)`` gives a watched field's answer: a blanked field noted in
``extensions.redacted``, free text scrubbed (a coroutine: the names of the victims next to the
record are read once per response level).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from graphapi.schema.batching import LevelBatcher
from graphapi.schema.types.provenance import ConflictType, PropertyValueType
from graphapi.security.principal import Principal
from graphapi.security.redaction import NODE_FIELDS, RELATIONSHIP_FIELDS
from graphapi.security.victim_ids import victim_ids
from graphapi.security.victim_names import victim_names
from graphapi.store import GraphStore, Node, Relationship

#: Free text of any entity that can name a victim next to it (scrubbed for those victims); a
#: Document's every field is, and a Case's title (its caption) too. Names and identifiers of
#: other entities are never rewritten (name-scrubber poisoning: graphapi.security.victim_names).
_FREE_TEXT = frozenset({"notes"})
_CASE_TEXT = frozenset({"title", "caption"})
#: Provenance text that can name a victim on their own (protected) entity or a Document about them:
#: dataset and file names (``ftm@KH-NP:rescue-nguyen-van-an``, ``nguyen_van_an_interview.ftm:1``).
_PROVENANCE_TEXT = frozenset({"sources"})
_NOTHING: frozenset[str] = frozenset()


class _Every:
    """Every field name (a Document's fields, a relationship's properties are all free text)."""

    def __contains__(self, name: object) -> bool:
        return True


EVERY = _Every()


@cache
def identifying(labels: tuple[str, ...]) -> frozenset[str]:
    """The fields blanked on a protected entity of ``labels`` (empty: never protected)."""
    return frozenset(f for label in labels for f in NODE_FIELDS.get(label, ()))


def free_text(labels: tuple[str, ...], name: str, protected: bool) -> bool:
    """True if field (or property) ``name`` of an entity of ``labels`` is text scrubbed of the
    victims next to it."""
    return ("Document" in labels or name in _FREE_TEXT or (name in _CASE_TEXT and "Case" in labels)
            or (protected and name in _PROVENANCE_TEXT))


class Redactions:
    """One request's redaction state: what was redacted (``extensions.redacted``) and the names of
    the victims next to the records shown (``security/victim_names``, one read per response level)."""

    def __init__(self, store: GraphStore, principal: Principal) -> None:
        self.redacted: dict[str, set[str]] = {}

        async def load(ids: list[str]) -> Mapping[str, Any]:
            return await victim_names(store, principal, ids)

        self._names = LevelBatcher(load)

    def note(self, shown: str, *names: str) -> None:
        self.redacted.setdefault(shown, set()).update(names)

    async def scrub(self, about: list[str], shown: str, name: str, value: Any) -> Any:
        """Free text that names a victim the reader may see, redacted (graphapi.security.victim_names);
        ``about``: the ids whose victims' names count (a document, a relationship's ends)."""
        if not isinstance(value, str | list | dict) or not value:
            return value
        scrubbers = [s for s in await self._names.load_many(about) if s]
        out, changed = value, False
        for scrubber in scrubbers:
            out, one = scrubber.scrub_value(out)
            changed = changed or one
        if changed:
            self.note(shown, name)
        return out

    async def scrub_provenance(self, about: list[str], shown: str, name: str, value: list, texts: bool,
                               sources: bool) -> list:
        """``values(property:)`` or ``conflicts``: the values scrubbed if ``texts`` (a conflict's
        only where its property is free text), their sources (dataset names, record ids) if ``sources``."""
        if not value or not (texts or sources):
            return value
        if isinstance(value[0], ConflictType):
            out = list(value)
            about_text = [i for i, c in enumerate(value) if texts is True or c.property in texts]
            if about_text:
                scrubbed = await self.scrub(about, shown, name, [value[i].value for i in about_text])
                for i, text in zip(about_text, scrubbed, strict=True):
                    out[i] = replace(out[i], value=text)
            if sources:
                lists = await self.scrub(about, shown, name, [c.sources for c in out])
                out = [replace(c, sources=s) for c, s in zip(out, lists, strict=True)]
            return out
        values: list[PropertyValueType] = value
        found = [v.value for v in values]
        if texts:
            found = await self.scrub(about, shown, name, found)
        origins = [[[s.source, s.record_id] for s in v.sources] for v in values]
        if sources:
            origins = await self.scrub(about, shown, "sources" if name != "values" else name, origins)
        return [replace(v, value=t, sources=[replace(s, source=a, record_id=b)
                                             for s, (a, b) in zip(v.sources, o, strict=True)])
                for v, t, o in zip(values, found, origins, strict=True)]


class EntityView:
    """An entity as the reader is shown it (see the module docstring)."""

    __slots__ = ("blanked", "labels", "out", "props", "protected", "real_id", "scrubbed", "shown_id", "watched")

    def __init__(self, node: Node, protected: bool, out: Redactions | None) -> None:
        self.real_id = node.id
        self.labels = node.labels
        self.out = out
        self.protected = protected
        self.shown_id = victim_ids().opaque(node.id) if protected else node.id
        self.props: Mapping[str, Any] = node.properties
        self.blanked: frozenset[str] = _NOTHING
        self.scrubbed: Any = _NOTHING
        if out is None:  # a reader with victim-data: nothing to hide
            self.watched: Any = _NOTHING
            return
        if protected:
            self.blanked = frozenset(f for f in identifying(node.labels) if node.properties.get(f) is not None)
            self.props = {**node.properties, **dict.fromkeys(self.blanked)}
        if "Document" in node.labels:
            self.scrubbed = EVERY
        else:
            self.scrubbed = (_FREE_TEXT | (_CASE_TEXT if "Case" in node.labels else _NOTHING)
                             | (_PROVENANCE_TEXT if protected else _NOTHING))
        self.watched = EVERY if self.scrubbed is EVERY else self.blanked | self.scrubbed

    def answer(self, name: str, value: Any) -> Any:
        """The answer of watched field ``name`` resolved as ``value`` (blanked, or scrubbed: a coroutine)."""
        if name in self.blanked:
            self.out.note(self.shown_id, name)
            return value
        if name in self.scrubbed and isinstance(value, str | list | dict) and value:
            return self.out.scrub([self.real_id], self.shown_id, name, value)
        return value

    def caption(self, caption: str) -> Any:
        if self.protected:  # a protected entity's caption is its token
            self.out.note(self.shown_id, "caption")
            return self.shown_id
        return self.answer("caption", caption) if "caption" in self.watched else caption

    async def values(self, name: str, found: list[PropertyValueType]) -> list[PropertyValueType]:
        """``values(property: name)``: blanked with the property, else scrubbed where the property
        is free text, their sources where the entity's ``sources`` are."""
        if self.out is None or not found:
            return found
        if self.protected and name in identifying(self.labels):
            self.out.note(self.shown_id, name)
            return []
        return await self.out.scrub_provenance(
            [self.real_id], self.shown_id, name, found, texts=free_text(self.labels, name, self.protected),
            sources=free_text(self.labels, "sources", self.protected))

    def conflicts(self, found: list[ConflictType]) -> Any:
        """``conflicts`` (blanked with a protected entity's copies): each disagreeing value scrubbed
        where its property is free text, its sources where the entity's ``sources`` are."""
        if self.out is None or not found:
            return found
        if "conflicts" in self.blanked:
            self.out.note(self.shown_id, "conflicts")
            return []
        texts = {c.property for c in found if free_text(self.labels, c.property, self.protected)}
        sources = free_text(self.labels, "sources", self.protected)
        if not texts and not sources:
            return found
        return self.out.scrub_provenance([self.real_id], self.shown_id, "conflicts", found, texts=texts,
                                         sources=sources)


class RelationshipView:
    """A relationship as the reader is shown it: its id a token if it touches a protected entity,
    a victim's travel ``document`` blanked, every property scrubbed of the victims at its ends."""

    __slots__ = ("blanked", "ends", "fields", "out", "props", "shown_id", "source_id", "target_id", "watched")

    def __init__(self, rel: Relationship, start: bool, end: bool, out: Redactions | None) -> None:
        self.out = out
        self.ends = [rel.start, rel.end]
        tokens = victim_ids()
        self.shown_id = tokens.opaque(rel.id) if start or end else rel.id
        self.source_id = tokens.opaque(rel.start) if start else rel.start
        self.target_id = tokens.opaque(rel.end) if end else rel.end
        self.props: Mapping[str, Any] = rel.properties
        self.blanked: frozenset[str] = _NOTHING
        self.watched: Any = _NOTHING if out is None else EVERY
        #: the properties blanked on it (a victim's travel document on their CROSSED)
        self.fields = RELATIONSHIP_FIELDS.get(rel.type, ()) if out is not None and start else ()
        if self.fields:
            self.blanked = frozenset(f for f in self.fields if rel.properties.get(f) is not None)
            self.props = {**rel.properties, **dict.fromkeys(self.blanked)}

    def answer(self, name: str, value: Any) -> Any:
        if name in self.blanked:
            self.out.note(self.shown_id, name)
            return value
        if isinstance(value, str | list | dict) and value:
            return self.out.scrub(self.ends, self.shown_id, name, value)
        return value

    def properties(self, shown: frozenset[str]) -> Any:
        """The ``properties`` map: blanked properties null (and noted), the id as shown, scrubbed."""
        value = {k: v for k, v in self.props.items() if k in shown}
        if self.out is None:
            return value
        noted = [f for f in self.blanked if f in value]
        if noted:
            self.out.note(self.shown_id, *noted)
        if "id" in value:
            value["id"] = self.shown_id
        return self.answer("properties", value) if value else value

    async def values(self, prop: str | None, found: list, field: str = "values") -> list:
        """``values(property: prop)`` (or ``conflicts``, ``prop`` None): blanked with the property,
        else values and sources scrubbed of the victims at the ends."""
        if self.out is None or not found:
            return found
        if prop in self.fields:
            self.out.note(self.shown_id, prop)
            return []
        return await self.out.scrub_provenance(self.ends, self.shown_id, field, found, texts=True, sources=True)
