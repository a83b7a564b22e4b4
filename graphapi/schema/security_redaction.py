"""Victim redaction in GraphQL responses, as one schema extension (no type has to know about it).

For a principal without the ``victim-data`` role, :class:`RedactVictims` wraps the resolvers of
the fields of entities and relationships (those of principals holding ``victim-data`` are never
wrapped: no extra round trip). Which entities are protected is asked of the store once per
response level through the request's batching cache (``Context.loaders.protected``, statement
``security/protected_ids``), which also holds the answers for the ids the query fields were given,
so an entity looked up by id is not asked about twice.

- Identifying fields of a protected entity (``graphapi.security.redaction.NODE_FIELDS``; on
  relationships ``RELATIONSHIP_FIELDS``, also inside the ``properties`` map) read null, or ``[]``
  where the schema makes a list non-null; so does ``values(property:)`` for such a property.
- A protected entity's ``lintasId``, ``caption`` and Relay ``id`` show its opaque ``vid:`` token
  (``graphapi.security.victim_ids``), never the id, which loaders derive from the name or number;
  so do ``sourceId`` / ``targetId`` for a protected end, and the ``id`` of a relationship that
  touches one. The query fields take the token back as an id.
- Free text that can be about a victim the reader may see has that victim's names, aliases and
  document numbers replaced by ``[redacted]`` (``graphapi.security.victim_names``): every text field
  of a Document in the victim's neighbourhood, a Case's title (and caption) and any entity's
  ``notes`` there (linked to the victim or to a case the victim is in: the case itself, a suspect
  who recruited them), and the properties of a relationship touching the victim; the same fields'
  disagreeing values in ``conflicts``; the dataset and file names (``sources``, and the ``source``
  and ``recordId`` of ``values(property:)``) of a protected entity and of such a Document. Names and
  identifiers of other entities are never rewritten. The names are read per response level with
  the ids shown, through a second batching cache.

The response marks what was redacted in ``extensions.redacted``: ``{"<vid token or lintasId>":
["name", "birthDate", ...], "<relationship id>": ["document"], "<document id>": ["title"]}``.
Search needs nothing here: its statement leaves protected entities out before paging
(``graphapi.investigate.search``), so they are in no page, cursor or count.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import cache
from typing import Any

from graphql import GraphQLList, GraphQLNonNull
from strawberry import relay
from strawberry.extensions import SchemaExtension

from graphapi.schema.batching import LevelBatcher
from graphapi.schema.types.provenance import ConflictType, PropertyValueType
from graphapi.security.redaction import NODE_FIELDS, RELATIONSHIP_FIELDS, may_see_victims
from graphapi.security.victim_ids import victim_ids
from graphapi.security.victim_names import NameScrubber, victim_names

#: Fields that resolve other objects or enums: nothing to redact on them.
_PASS = frozenset({"relationships", "source", "target", "label", "labels", "type"})
#: A relationship's id fields and the endpoints each one touches.
#: Free text of any entity that can name a victim next to it (scrubbed for those victims); a
#: Document's every field is, and a Case's title (its caption) too. Names and identifiers of
#: other entities are never rewritten (name-scrubber poisoning: graphapi.security.victim_names).
_FREE_TEXT = frozenset({"notes"})
_CASE_TEXT = frozenset({"title", "caption"})
#: Provenance text that can name a victim on their own (protected) entity or a Document about them:
#: dataset and file names (``ftm@KH-NP:rescue-nguyen-van-an``, ``nguyen_van_an_interview.ftm:1``),
#: scrubbed there, with ``values(property:)``'s sources and record ids and ``conflicts``' sources.
_PROVENANCE_TEXT = frozenset({"sources"})
_REL_IDS = {"sourceId": ("start",), "targetId": ("end",), "id": ("start", "end")}


def _free_text(node: Any, name: str, protected: bool) -> bool:
    """True if field (or property) ``name`` of ``node`` is text scrubbed of the victims next to it."""
    return ("Document" in node.labels or name in _FREE_TEXT or (name in _CASE_TEXT and "Case" in node.labels)
            or (protected and name in _PROVENANCE_TEXT))


async def _value(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def _identifying(node: Any) -> frozenset[str]:
    return _identifying_of(tuple(node.labels))


@cache
def _identifying_of(labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(f for label in labels for f in NODE_FIELDS.get(label, ()))


#: Entity fields whose answer depends on whether the entity is protected whatever the field's name.
_ALWAYS_CHECKED = frozenset({"lintasId", "id", "conflicts", "values"})


def _unchanged(node: Any, field: str, asked: str) -> bool:
    """True if entity field ``field`` (``asked``: the property ``values`` names, else ``field``)
    reads the same for every reader: an entity of labels that are never protected (a compound,
    an organisation), or a field that is not an id and not identifying for the entity's labels,
    and no free text or provenance that can name a victim. Such a field is answered as it is,
    with no protected-ids lookup and no coroutine (most fields of a big response; issue 14)."""
    fields = _identifying(node)
    if not fields:  # never protected: only text about a victim next to it can change
        return field not in ("conflicts", "values") and not _free_text(node, asked, False)
    return field not in _ALWAYS_CHECKED and asked not in fields and not _free_text(node, asked, True)


def _blank_for(return_type: Any, node_id: str) -> Any:
    if isinstance(return_type, GraphQLNonNull):
        return [] if isinstance(return_type.of_type, GraphQLList) else node_id
    return None


class RedactVictims(SchemaExtension):
    """Blank victims' identifying fields for principals without ``victim-data`` (module docstring)."""

    def __init__(self) -> None:
        self._names: LevelBatcher | None = None
        self._redacted: dict[str, set[str]] = {}

    def _protected(self, info: Any) -> LevelBatcher:
        # the request's own cache: the ids typed in clear were asked there already (lookup_ids)
        return info.context.loaders.protected

    def _scrubbers(self, info: Any) -> LevelBatcher:
        if self._names is None:  # one round trip per response level, shared by every field
            ctx = info.context

            async def load(ids: list[str]) -> dict[str, NameScrubber]:
                return await victim_names(ctx.store, ctx.principal, ids)

            self._names = LevelBatcher(load)
        return self._names

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        name = info.field_name
        if name in _PASS or may_see_victims(info.context.principal):
            return _next(root, info, *args, **kwargs)
        node = getattr(root, "_node", None)
        if node is not None:
            # values(property:) answers for the property it names: blanked with it
            asked = kwargs.get("property") if name == "values" else name
            if _unchanged(node, name, asked):
                return _next(root, info, *args, **kwargs)
            return self._node_field(node, asked, _next(root, info, *args, **kwargs), info)
        rel = getattr(root, "_rel", None)
        if rel is not None:
            asked = kwargs.get("property") if name == "values" else name
            return self._rel_field(rel, name, asked, _next(root, info, *args, **kwargs), info)
        return _next(root, info, *args, **kwargs)

    async def _node_field(self, node: Any, name: str, value: Any, info: Any) -> Any:
        value = await _value(value)
        fields = _identifying(node)
        protected = bool(fields) and await self._protected(info).load(node.id)
        shown = victim_ids().opaque(node.id) if protected else node.id
        if name == "lintasId":
            return shown
        if name == "id":
            return relay.GlobalID(type_name=value.type_name, node_id=shown) if protected else value
        if protected and name in fields:
            if value is None or value == []:
                return value
            self._redacted.setdefault(shown, set()).add(name)
            return shown if name == "caption" else _blank_for(info.return_type, shown)
        if name == "conflicts" and isinstance(value, list):
            return await self._scrub_conflicts(info, node, protected, shown, value)
        if isinstance(value, list) and value and isinstance(value[0], PropertyValueType):  # values(property:)
            return await self._scrub_values(info, node, protected, shown, name, value)
        if not _free_text(node, name, protected):
            return value  # only a victim's neighbourhood's free text is about them
        return await self._scrub(info, [node.id], shown, name, value)  # the victims next to it

    async def _scrub_values(self, info: Any, node: Any, protected: bool, shown: str, name: str,
                            value: list[PropertyValueType]) -> list[PropertyValueType]:
        """``values(property: name)``: the values scrubbed where the property is, their sources'
        dataset names and record ids where the entity's ``sources`` are."""
        scrub_values, scrub_sources = _free_text(node, name, protected), _free_text(node, "sources", protected)
        if not (scrub_values or scrub_sources):
            return value
        texts = [v.value for v in value]
        if scrub_values:
            texts = await self._scrub(info, [node.id], shown, name, texts)
        origins = [[[s.source, s.record_id] for s in v.sources] for v in value]
        if scrub_sources:
            origins = await self._scrub(info, [node.id], shown, "sources", origins)
        return [replace(v, value=t, sources=[replace(s, source=a, record_id=b)
                                             for s, (a, b) in zip(v.sources, o, strict=True)])
                for v, t, o in zip(value, texts, origins, strict=True)]

    async def _scrub_conflicts(self, info: Any, node: Any, protected: bool, shown: str,
                               value: list[ConflictType]) -> list[ConflictType]:
        """``conflicts``: each disagreeing value scrubbed where its property is (a case's title), its
        sources where the entity's ``sources`` are."""
        texts = [c.value for c in value]
        about = [i for i, c in enumerate(value) if _free_text(node, c.property, protected)]
        if about:
            scrubbed = await self._scrub(info, [node.id], shown, "conflicts", [texts[i] for i in about])
            for i, text in zip(about, scrubbed, strict=True):
                texts[i] = text
        sources = [c.sources for c in value]
        if _free_text(node, "sources", protected):
            sources = await self._scrub(info, [node.id], shown, "conflicts", sources)
        return [replace(c, value=t, sources=s) for c, t, s in zip(value, texts, sources, strict=True)]

    async def _rel_field(self, rel: Any, name: str, asked: str, value: Any, info: Any) -> Any:
        value = await _value(value)
        ends = [rel.start, rel.end]
        flags = dict(zip(("start", "end"), await self._protected(info).load_many(ends), strict=True))
        shown = victim_ids().opaque(rel.id) if any(flags.values()) else rel.id
        if name in _REL_IDS:
            return victim_ids().opaque(value) if any(flags[e] for e in _REL_IDS[name]) else value
        fields = RELATIONSHIP_FIELDS.get(rel.type, ()) if flags["start"] else ()
        if name == "properties" and isinstance(value, dict):
            blanked = [f for f in fields if value.get(f) is not None]
            if blanked:
                self._redacted.setdefault(shown, set()).update(blanked)
                value = {**value, **dict.fromkeys(blanked)}
            if "id" in value and shown != rel.id:
                value = {**value, "id": shown}
        elif asked in fields:  # values(property:) of a blanked property is blanked with it
            if value is None or value == []:
                return value
            self._redacted.setdefault(shown, set()).add(asked)
            return _blank_for(info.return_type, shown)
        elif name in ("values", "conflicts") and isinstance(value, list) and value:
            return await self._scrub_rel_provenance(info, ends, shown, name, value)
        return await self._scrub(info, ends, shown, name, value)

    async def _scrub_rel_provenance(self, info: Any, ends: list[str], shown: str, name: str,
                                    value: list[PropertyValueType] | list[ConflictType]) -> list:
        """A relationship's ``values(property:)`` or ``conflicts``: values and their sources
        (dataset names, record ids) scrubbed of the victims at its ends, as its other fields are."""
        texts = await self._scrub(info, ends, shown, name, [v.value for v in value])
        if isinstance(value[0], ConflictType):
            sources = await self._scrub(info, ends, shown, name, [c.sources for c in value])
            return [replace(c, value=t, sources=s) for c, t, s in zip(value, texts, sources, strict=True)]
        origins = await self._scrub(info, ends, shown, name, [[[s.source, s.record_id] for s in v.sources]
                                                              for v in value])
        return [replace(v, value=t, sources=[replace(s, source=a, record_id=b)
                                             for s, (a, b) in zip(v.sources, o, strict=True)])
                for v, t, o in zip(value, texts, origins, strict=True)]

    async def _scrub(self, info: Any, about: list[str], shown: str, name: str, value: Any) -> Any:
        """Free text that names a victim the reader may see, redacted (graphapi.security.victim_names);
        ``about``: the ids whose victims' names count (a document, a relationship's ends)."""
        if not isinstance(value, str | list | dict) or not value:
            return value
        scrubbers = [s for s in await self._scrubbers(info).load_many(about) if s]
        if not scrubbers:
            return value
        out, changed = value, False
        for scrubber in scrubbers:
            out, one = scrubber.scrub_value(out)
            changed = changed or one
        if changed:
            self._redacted.setdefault(shown, set()).add(name)
        return out

    def get_results(self) -> dict[str, Any] | Awaitable[dict[str, Any]]:
        if not self._redacted:
            return {}
        return {"redacted": {k: sorted(v) for k, v in sorted(self._redacted.items())}}
