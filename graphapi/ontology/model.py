"""The ontology as data: node labels, natural keys, properties and relationship types.

Read once from ``labels/<Label>.yaml``, ``relationships.yaml`` and ``provenance.yaml`` beside
this module (the FollowTheMoney habit: one file per schema, a model that cross-links them).
Everything else — GraphQL types, constraints and indexes, loader validation, docs — iterates
this model and never restates it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from graphapi.ontology.errors import OntologyError
from graphapi.ontology.ids import canonical_id

HERE = Path(__file__).parent

#: Value types a property may declare. Each has a normaliser in ``ontology/types`` except the
#: plain scalars.
VALUE_TYPES = frozenset(
    {
        "string", "text", "name", "identifier", "enum", "integer", "float", "boolean",
        "date", "datetime", "country", "gender", "phone", "imei", "iban", "bic", "domain",
        "sha256", "dateRange", "wallet", "chain", "documentNumber", "accountNumber",
        "duration", "amount", "currency",
    }
)

#: TLP 2.0 levels (FIRST, https://www.first.org/tlp/), least to most restricted.
TLP_LEVELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")

#: The label every node carries; it holds the unique ``id`` and the full-text index.
ENTITY = "Entity"


@dataclass(frozen=True)
class Property:
    """One typed property of a label or relationship type."""

    name: str
    type: str
    multiple: bool = False
    required: bool = False
    search: bool = False
    internal: bool = False
    values: tuple[str, ...] = ()
    description: str = ""


#: Properties the loader keeps itself beside those the ontology marks ``internal`` (the search
#: fields, ``heldApart``, ``countryCodes``): the id, merge conflicts, the caption it derives, a
#: placeholder's and the circuit breaker's flags. No source writes one: a forged ``unresolved`` or
#: ``heldApart`` lets another agency's record take the item over (attack round 32, item 3). Also
#: the readers' notes and review flags, each set from what the loader found, never a column: the
#: zone a time without an offset was read in, an entity with nothing to tell it apart, dates in an
#: impossible order, a bank or place the gazetteer does not know, identifier values kept as text
#: only (a forged flag reads as the loader's finding; attack round 33, finding 6). ``referents``
#: stays open: an FtM file's own merged ids, the source's data.
LOADER_KEPT = frozenset({"id", "conflicts", "caption", "unresolved", "quarantined", "quarantinedFor", "assumedTimeZone",
                         "unidentified", "dateConflicts", "unresolvedBank", "unresolvedPlace", "identifiers"})


def kept_by_loader(properties: dict[str, Property], name: str) -> bool:
    """True if ``name`` is a property of ``properties`` (a label's or a relationship type's) that
    the loader keeps itself (:data:`LOADER_KEPT` or ``internal``): the ingest API, a mapping and
    every reader refuse it."""
    prop = properties.get(name)
    return prop is not None and (prop.internal or name in LOADER_KEPT)


def required_properties(properties: dict[str, Property]) -> tuple[str, ...]:
    """The names of ``properties`` a record must give (a transfer's ``amount``), the ``id`` aside
    (a loader derives it); every loader checks them, the ingest API too."""
    return tuple(n for n, p in properties.items() if p.required and n != "id")


@dataclass(frozen=True)
class Label:
    """A node label with its natural key and properties (own and inherited)."""

    name: str
    description: str
    parent: str | None
    abstract: bool
    key: tuple[str, ...]
    id_prefix: str | None
    caption: tuple[str, ...]
    own_properties: dict[str, Property]
    properties: dict[str, Property] = field(default_factory=dict)
    ancestors: tuple[str, ...] = ()

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """All labels a node of this kind carries, most general first (``Entity`` included)."""
        return (*reversed(self.ancestors), self.name)

    @cached_property
    def search_properties(self) -> tuple[str, ...]:
        """Properties whose values feed the full-text ``searchText``: names, aliases, identifiers.
        Worked out once per label: the writer asks it of every node it writes and search-indexes."""
        return tuple(
            p.name for p in self.properties.values() if p.search or p.type == "name"
        )


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type with its allowed endpoint labels (subtypes allowed) and properties."""

    name: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: dict[str, Property]
    #: An event (a call, a transfer, a crossing): each one is its own relationship.
    event: bool = False
    #: The type's own properties (not the common ones): what tells one event from another.
    own: tuple[str, ...] = ()


@dataclass(frozen=True)
class Model:
    """The whole ontology. Obtain it with :func:`load_model`."""

    labels: dict[str, Label]
    relationships: dict[str, RelationshipType]
    provenance: dict[str, Property]

    @property
    def concrete_labels(self) -> list[Label]:
        """Labels a node can be created with (all but abstract ``Entity``), sorted by name."""
        return sorted((lb for lb in self.labels.values() if not lb.abstract), key=lambda x: x.name)

    def label(self, name: str) -> Label:
        """The label called ``name``; raises :class:`OntologyError` for anything else."""
        try:
            return self.labels[name]
        except KeyError:
            raise OntologyError(f"unknown label {name!r}") from None

    def relationship(self, name: str) -> RelationshipType:
        """The relationship type ``name``; raises :class:`OntologyError` for anything else."""
        try:
            return self.relationships[name]
        except KeyError:
            raise OntologyError(f"unknown relationship type {name!r}") from None

    def is_a(self, label: str, ancestor: str) -> bool:
        """True if ``label`` is ``ancestor`` or inherits from it."""
        lb = self.label(label)
        return ancestor == lb.name or ancestor in lb.ancestors

    def allows(self, rel_type: str, source_label: str, target_label: str) -> bool:
        """True if ``rel_type`` may join a ``source_label`` node to a ``target_label`` node."""
        rt = self.relationship(rel_type)
        return any(self.is_a(source_label, s) for s in rt.sources) and any(
            self.is_a(target_label, t) for t in rt.targets
        )

    def keyed_label_of(self, node_id: str) -> str | None:
        """The label whose natural-key ids ``node_id`` has the form of (``phone:+66...`` is a
        Phone's), or None: an id a label keyed by ``id`` may not take, or it would squat on the
        node another agency's record of that phone, account or case becomes."""
        prefix, sep, _ = node_id.partition(":")
        if not sep:
            return None
        for lb in self.labels.values():
            if lb.id_prefix == prefix and lb.key != ("id",):
                return lb.name
        return None

    def has_relationship_id_form(self, node_id: str) -> bool:
        """True if ``node_id`` has the form :meth:`relationship_id` gives (``called:<20 hex>``): a
        node may not take it, or the statements about it would be read as those about the
        relationship of that id, which anyone can compute from a guess of its ends (attack round
        25, F1: a Person named after a hidden victim's INVOLVED_IN confirmed the link by its sources)."""
        prefix, sep, digest = node_id.partition(":")
        return (bool(sep) and len(digest) == 20 and all(c in "0123456789abcdef" for c in digest)
                and prefix.upper() in self.relationships)

    def node_id(self, label: str, props: dict[str, Any]) -> str:
        """The Lintas id of a node from its natural key.

        Labels keyed by ``id`` use the given id. Others get ``<idPrefix>:<key parts joined by |>``,
        e.g. ``phone:+66812345678`` or ``wallet:TNmRf...``. Key values must already be
        normalised. The id is canonical (``graphapi.ontology.ids``: trimmed, NFC). Raises
        :class:`OntologyError` if a key part is missing, :class:`InvalidId` (one) if the id cannot be
        canonical (empty, a control character, too long).
        """
        lb = self.label(label)
        parts = []
        for k in lb.key:
            v = props.get(k)
            if v is None or v == "":
                raise OntologyError(f"{label} needs key property {k!r}")
            parts.append(str(v))
        node_id = parts[0] if lb.key == ("id",) else f"{lb.id_prefix}:{'|'.join(parts)}"
        return canonical_id(node_id, f"{label} id")

    def relationship_id(self, rel_type: str, start_id: str, end_id: str, discriminator: str = "") -> str:
        """A deterministic relationship id: a hash of type, endpoints and an optional discriminator.

        Events (calls, transfers, crossings) pass their record id or txId as ``discriminator``
        so each event is its own relationship; plain facts pass nothing so reloading merges.
        """
        digest = hashlib.sha1(
            "\x1f".join((rel_type, start_id, end_id, discriminator)).encode()
        ).hexdigest()[:20]
        return f"{rel_type.lower()}:{digest}"

    def event_discriminator(self, rel_type: str, props: Mapping[str, Any]) -> str:
        """The discriminator of an event relationship given without one: its ``recordId``, else its
        own property values (``at``, ``direction``, ``amount``...), so two crossings at different
        times are two relationships while the same crossing sent again merges. ``""`` for a
        relationship that is not an event (it merges on its endpoints)."""
        rt = self.relationship(rel_type)
        if not rt.event:
            return ""
        if props.get("recordId"):
            return str(props["recordId"])
        values = {k: props[k] for k in rt.own if props.get(k) not in (None, "")}
        return "event:" + json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _properties(raw: dict[str, Any] | None, where: str) -> dict[str, Property]:
    out: dict[str, Property] = {}
    for name, spec in (raw or {}).items():
        spec = dict(spec)
        ptype = spec.pop("type", "string")
        if ptype not in VALUE_TYPES:
            raise OntologyError(f"{where}.{name}: unknown value type {ptype!r}")
        values = tuple(spec.pop("values", ()) or ())
        try:
            out[name] = Property(name=name, type=ptype, values=values, **spec)
        except TypeError as exc:
            raise OntologyError(f"{where}.{name}: {exc}") from None
    return out


#: libyaml's safe loader where PyYAML has it (the same documents, ~9x less CPU: every load job's
#: process reads the ontology and the gazetteers again), else PyYAML's own.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=SAFE_LOADER)


@cache
def load_model(root: Path = HERE) -> Model:
    """Read and cross-link the ontology folder once; later calls return the same object.

    Raises :class:`OntologyError` on unknown value types, unknown parents or endpoint labels,
    or a key property that the label does not define.
    """
    provenance = _properties(_read_yaml(root / "provenance.yaml"), "provenance")
    raw_labels = {}
    for path in sorted((root / "labels").glob("*.yaml")):
        doc = _read_yaml(path)
        if doc.get("label") != path.stem:
            raise OntologyError(f"{path.name}: label must equal the file name")
        raw_labels[path.stem] = doc

    labels: dict[str, Label] = {}

    def build(name: str) -> Label:
        if name in labels:
            return labels[name]
        if name not in raw_labels:
            raise OntologyError(f"unknown label {name!r}")
        doc = raw_labels[name]
        parent = doc.get("extends")
        own = _properties(doc.get("properties"), name)
        props: dict[str, Property] = {}
        ancestors: tuple[str, ...] = ()
        if parent:
            p = build(parent)
            props.update(p.properties)
            ancestors = (parent, *p.ancestors)
        props.update(own)
        key = tuple(doc.get("key", ["id"]))
        for k in key:
            if k not in props:
                raise OntologyError(f"{name}: key property {k!r} is not defined")
        lb = Label(
            name=name,
            description=" ".join(str(doc.get("description", "")).split()),
            parent=parent,
            abstract=bool(doc.get("abstract", False)),
            key=key,
            id_prefix=doc.get("idPrefix"),
            caption=tuple(doc.get("caption", key)),
            own_properties=own,
            properties=props,
            ancestors=ancestors,
        )
        if lb.key != ("id",) and not lb.id_prefix:
            raise OntologyError(f"{name}: a label keyed by {lb.key} needs an idPrefix")
        labels[name] = lb
        return lb

    for name in raw_labels:
        build(name)

    rel_doc = _read_yaml(root / "relationships.yaml")
    common = _properties(rel_doc.get("common"), "relationships.common")
    relationships: dict[str, RelationshipType] = {}
    for name, spec in rel_doc["types"].items():
        for end in (*spec["from"], *spec["to"]):
            if end not in labels:
                raise OntologyError(f"{name}: unknown endpoint label {end!r}")
        relationships[name] = RelationshipType(
            name=name,
            description=spec.get("description", ""),
            sources=tuple(spec["from"]),
            targets=tuple(spec["to"]),
            properties={**common, **_properties(spec.get("properties"), name)},
            event=bool(spec.get("event", False)),
            own=tuple(spec.get("properties") or ()),
        )
    return Model(labels=labels, relationships=relationships, provenance=provenance)
