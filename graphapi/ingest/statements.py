"""Per-value provenance: who asserted each value of a node or relationship (after OpenSanctions'
statement model).

A *statement* here is everything one source, writing for one owner agency at one level, asserted
about one node or one relationship: its ``(property, value)`` pairs, each with the record that
first said it and when the source first and last said it, and the sharing it was said at
(``owner``, ``tlp``, ``sharedWith``). A source's records about one item at two levels are two
statements, so a narrower record never narrows what was said more widely (attack round 5, F5).

A statement *follows* its item (``follows``) when it was said at least as widely as the item was
then: its level is the item's, and moves with it when the owner shares or unshares the item
(``cypher/security/follow_sharing``). Any other keeps the level it was said at, whatever the
owner does with the item: an owner's record meant for fewer agencies than see the item, one the
item outgrew when the owner's wider record widened it, another agency's (attack round 6, G1/G2:
an unshare brought a narrower record to the item's level, and the next share opened it).
It is stored as one ``:Statement`` node beside the graph (not linked to it: no traversal, count
or degree sees it), keyed by ``entity`` (the node's or relationship's id), ``owner``, ``source``
and level (:func:`statement_id`), with parallel lists
``property[i]``, ``value[i]``, ``recordId[i]``, ``firstSeen[i]``, ``lastSeen[i]``
(docs/provenance.md says why this shape). Values are kept as text (:func:`value_text`): both
backends store homogeneous lists only. A relationship's statement also names the relationship's
``type`` (a node's has none), so its retraction and rebuild find the relationship by type and id.

A *line statement* is what one line of a source said of an item that other lines of the same
source may say too (``line``: the FtM id of the line; "" for any other statement): an FtM Passport
line's number on its holder, a Call line's USES_PHONE, a Person line's own phone link. It is a
statement of its own (its id names the line), so a DEL of that line takes exactly what the line
said, and a value or link another line still states stays (``Writer._retract_lines``). A line
statement about a link may hold no value: it says only that the line draws the link.

The *asserting sources* of a record are its datasets (an FtM line's ``<source>:<dataset>``
entries in ``sources``) or, without any, the load's source: three FtM lines of datasets a, b and c
in one file are three statements.

All functions here are pure; :mod:`graphapi.ingest.statement_store` reads and writes them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphapi.ingest.digests import content_digest
from graphapi.ontology import Label, RelationshipType
from graphapi.ontology.tlp import strictness

#: The label of statement nodes and their properties (the Cypher linter's schema knows them too).
STATEMENT_LABEL = "Statement"
STATEMENT_PROPERTIES = ("id", "entity", "type", "label", "owner", "source", "tlp", "sharedWith",
                        "property", "value", "recordId", "firstSeen", "lastSeen", "follows", "digest", "line")
#: The entry of a natural-key node's statement naming a line of its source that states the node
#: (:mod:`graphapi.ingest.keyed_line_deletes`): its ``referents`` hold the ids FtM merged into the
#: lines too (attack round a-100, 2). Not a property of the node: no value is rebuilt from it.
LINE_REFERENT = "lineReferent"
#: The entry of such a statement naming a referent it held before the lines were marked (a line or
#: an id merged into one: the statement does not tell which, :mod:`graphapi.ingest.line_marks`); the DEL or
#: MOD of a line whose record names it takes it, as before the marks (attack round a-104, 2).
LEGACY_REFERENT = "legacyReferent"


#: Entity properties that are bookkeeping or derived, never a source's assertion.
NOT_ASSERTED = frozenset({"id", "caption", "searchText", "countryCodes", "conflicts", "unresolved", "quarantined",
                          "quarantinedFor", "inQuarantine", "blindSaid", "blindKnown", "blindDiverted", "blindShadow",
                          "heldApart", "shares", "victimMarkOwners"})


def value_text(value: Any) -> str:
    """A value as stored in a statement: strings as they are, numbers and booleans as JSON."""
    if isinstance(value, str):
        return value
    # an int or a finite float is written by JSON as its repr: that text without json.dumps'
    # machinery (a call's durationS, a transfer's amount: 2% of a load's CPU)
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return kind.__repr__(value)
    return json.dumps(value)


#: Value types whose values are JSON numbers or booleans, not text (a transfer's ``amount``, a
#: call's ``durationS``): their statements' text is read back as JSON.
JSON_TYPES = frozenset({"integer", "float", "boolean", "duration", "amount"})


def value_of(text: str, type_name: str) -> Any:
    """A statement's stored text back as the property's value (:data:`JSON_TYPES` from JSON;
    anything else is text: new-user report, a rebuild after a replace stored amounts as text,
    and ``moneyTrail(minAmount:)`` then passed the transfer by)."""
    if type_name in JSON_TYPES:
        try:
            return json.loads(text)
        except ValueError:
            return None
    return text


def asserted_properties(label: Label) -> list[str]:
    """The properties of ``label`` whose values sources assert (bookkeeping left out)."""
    return [p for p in label.properties if p not in NOT_ASSERTED]


def asserted_relationship_properties(rel_type: RelationshipType) -> list[str]:
    """The properties of ``rel_type`` whose values sources assert (``recordId``: the statement's own)."""
    return [p for p in rel_type.properties if p not in NOT_ASSERTED and p != "recordId"]


def asserting_sources(sources: Iterable[str], load_source: str) -> list[str]:
    """The sources a record speaks for: its ``<load_source>:<dataset>`` entries, else the load's."""
    datasets = [s for s in sources if s != load_source and s.startswith(load_source + ":")]
    return datasets or [load_source]


def narrowest(tlp: str, shared_with: tuple[str, ...], other_tlp: str,
              other_shared_with: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The level and sharing that reach only the agencies both ``(tlp, shared_with)`` reach (TLP
    2.0: the stricter level; two AMBER: the agencies in both ``sharedWith``; no level: RED)."""
    if tlp == other_tlp == "AMBER":
        return tlp, tuple(x for x in shared_with if x in other_shared_with)
    return (tlp, shared_with) if strictness(tlp) > strictness(other_tlp) else (other_tlp, other_shared_with)


def statement_id(entity: str, owner: str, source: str, tlp: str, shared_with: Iterable[str],
                 follows: bool = False, line: str = "") -> str:
    """The id of the statement of ``source`` writing for ``owner`` about item ``entity``: one that
    follows the item has one id whatever the item's level; any other is keyed by its level
    ``tlp`` shared with ``shared_with`` (in any order: the level is a set). A line statement's
    (``line``: the FtM id of the line that said it) names its line too; any other's is as it was."""
    level = "follows" if follows else "\x1e".join([tlp, *sorted(set(shared_with))])
    said_by = f"\x1f{line}" if line else ""
    digest = hashlib.sha1(f"{entity}\x1f{owner}\x1f{source}\x1f{level}{said_by}".encode()).hexdigest()[:20]
    return f"stmt:{digest}"


@dataclass
class Statement:
    """One source's assertions about one node. ``entries``: ``(property, value text)`` ->
    ``[recordId, firstSeen, lastSeen]`` (ISO 8601 UTC), in the order they were first asserted."""

    entity: str
    owner: str
    source: str
    tlp: str
    shared_with: tuple[str, ...] = ()
    entries: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: the relationship type of a relationship's statement; "" for a node's
    type: str = ""
    #: its level is its item's and moves with it (see the module docstring)
    follows: bool = False
    #: the label its record gave a node whose label is another's guess (a narrower record kept
    #: apart on a placeholder: the node takes it when the placeholder's last link goes); "" else
    label: str = ""
    #: the level ``(tlp, sharedWith)`` its owner's record said, where the item's shares widened it
    #: (graphapi.security.kept_shares): what the load said, to the access requests; None else
    said: tuple[str, tuple[str, ...]] | None = field(default=None, repr=False, compare=False)
    #: the line of the source that said it, for a line statement (the module docstring); "" else
    line: str = ""
    _key: tuple = field(default=(), init=False, repr=False, compare=False)
    _id: str = field(default="", init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The statement's key (:func:`statement_id`): a statement moved to another level is
        another statement."""
        key = (self.entity, self.owner, self.source, self.tlp, self.shared_with, self.follows, self.line)
        if self._key != key:  # a hash: worked out again only when the level moved
            self._key, self._id = key, statement_id(*key)
        return self._id

    def at_level(self, tlp: str, shared_with: Iterable[str], follows: bool | None = None) -> Statement:
        """This statement's values at another level (``follows``: None keeps this one's)."""
        return Statement(self.entity, self.owner, self.source, tlp, tuple(shared_with),
                         {k: list(v) for k, v in self.entries.items()}, type=self.type,
                         follows=self.follows if follows is None else follows, label=self.label, line=self.line)

    def assert_value(self, prop: str, text: str, record_id: str, first: str, last: str) -> None:
        """Record one value; said again: first record kept, first/last seen widened."""
        have = self.entries.get((prop, text))
        if have is None:
            self.entries[(prop, text)] = [record_id, first, last]
        else:
            have[1], have[2] = min(have[1], first), max(have[2], last)

    def absorb(self, later: Statement) -> None:
        """Merge a later statement of the same source into this one, read only by the agencies
        both may reach (:func:`narrowest`: a record's values are never read more widely than it
        says, attack round 4, H1). The loader merges statements of one key, hence one level;
        sharing merges two that a share or unshare brought to one level."""
        self.tlp, self.shared_with = narrowest(self.tlp, self.shared_with, later.tlp, later.shared_with)
        self.label = later.label or self.label
        for (prop, text), (rid, first, last) in later.entries.items():
            self.assert_value(prop, text, rid, first, last)

    def renew_records(self, later: Statement, keys: Iterable[tuple[str, str]]) -> None:
        """Name ``later``'s records for its values ``keys`` said again (a whole-source replace:
        the replaced load's records are gone, so a value it still says is said by the new one)."""
        for key in keys:
            have = self.entries.get(key)
            if have is not None:
                have[0] = later.entries[key][0]

    def replaced_by(self, later: Statement) -> Statement:
        """``later`` replacing this one (a MOD): its values only, each first seen as early as it was here."""
        out = Statement(later.entity, later.owner, later.source, later.tlp, later.shared_with, type=later.type,
                        follows=later.follows, label=later.label or self.label, line=later.line)
        for key, (rid, first, last) in later.entries.items():
            have = self.entries.get(key)
            out.entries[key] = [have[0], min(have[1], first), max(have[2], last)] if have else [rid, first, last]
        return out

    def props(self) -> dict[str, Any]:
        """The stored properties (``sharedWith`` None when empty, so a write removes it)."""
        keys = list(self.entries)
        rows = list(self.entries.values())
        out = {
            "entity": self.entity, "owner": self.owner, "source": self.source, "tlp": self.tlp,
            "sharedWith": list(self.shared_with) or None,
            "property": [k[0] for k in keys], "value": [k[1] for k in keys],
            "recordId": [r[0] for r in rows], "firstSeen": [r[1] for r in rows], "lastSeen": [r[2] for r in rows],
            "follows": True if self.follows else None,
            "digest": self.digest(),
        }
        if self.type:  # a node's statement has no type property at all (no null sent: SET += traps)
            out["type"] = self.type
        if self.label:
            out["label"] = self.label
        if self.line:  # a line statement's line; any other has no line property at all
            out["line"] = self.line
        return out

    def row(self, sid: str | None = None) -> dict[str, Any]:
        """Its ``provenance/write_statements`` row (``sid``: its id, when the caller has it): :meth:`props`
        with no null, so that writing it removes no property: an unshared statement says
        ``sharedWith: []``, one that does not follow its item ``follows: false`` (read as null is
        everywhere). FalkorDB#1787 removes the wrong property when one update removes two; a
        statement written in three updates to stay clear of it cost 70% more store time."""
        props = self.props()
        props["sharedWith"] = props["sharedWith"] or []
        props["follows"] = bool(props["follows"])
        return {"id": self.id if sid is None else sid, "props": props}

    def digest(self) -> str:
        """A hash of everything the statement holds, stored with it (``props``): a reload's
        statement whose digest the store holds is stored as it is, so the loader need not send
        its values to be compared (``provenance/statement_digests``; issue 14). Every write of a
        statement stores its digest anew; a write of some of its fields clears it."""
        said = (self.entity, self.owner, self.source, self.tlp, self.shared_with, self.type,
                self.label, self.follows, list(self.entries.items()))
        return content_digest((*said, self.line) if self.line else said)  # any other's as before lines

    @classmethod
    def from_props(cls, props: Mapping[str, Any]) -> Statement:
        """A stored statement's properties back as a :class:`Statement`."""
        out = cls(str(props["entity"]), str(props.get("owner") or ""), str(props["source"]),
                  str(props.get("tlp") or ""), tuple(props.get("sharedWith") or ()), type=str(props.get("type") or ""),
                  follows=bool(props.get("follows")), label=str(props.get("label") or ""),
                  line=str(props.get("line") or ""))
        cols = [list(props.get(k) or []) for k in ("property", "value", "recordId", "firstSeen", "lastSeen")]
        for prop, text, rid, first, last in zip(*cols, strict=True):
            out.entries[(str(prop), str(text))] = [str(rid), str(first), str(last)]
        return out


def statements_of(label: Label, node_id: str, props: Mapping[str, Any], load_source: str,
                  record_id: str, line: str = "") -> list[Statement]:
    """The statements one stamped node record makes (``props`` carries ``sources``, ``owner``,
    ``tlp``, ``sharedWith``, ``firstSeen``, ``lastSeen``); one per asserting source, none if the
    record asserts no value."""
    return _statements(asserted_properties(label), node_id, props, load_source, record_id, "", line)


def relationship_statements_of(rel_type: RelationshipType, rel_id: str, props: Mapping[str, Any],
                               load_source: str, record_id: str, line: str = "") -> list[Statement]:
    """The statements one stamped relationship record makes, as :func:`statements_of` for a node
    (a transfer's ``amount``, an ``INVOLVED_IN`` ``role``, a call's ``durationS``)."""
    return _statements(asserted_relationship_properties(rel_type), rel_id, props, load_source, record_id,
                       rel_type.name, line)


#: A value of several (a tuple, not ``list | tuple``: that union is built anew at every call).
_SEQUENCES = (list, tuple)


def asserted_entries(names: Iterable[str], props: Mapping[str, Any]) -> dict[tuple[str, str], None]:
    """The ``(property, value text)`` entries record properties ``props`` assert of ``names``, each
    once, in the order first said (a list's values one by one; None, "" and [] are no value):
    what each of the record's statements holds."""
    values: dict[tuple[str, str], None] = {}
    for prop in names:
        raw = props.get(prop)
        if raw is None:
            continue
        if type(raw) is str:  # most values: their own text, without the checks below (a load's every value)
            if raw:
                values[(prop, raw)] = None
            continue
        if raw == "" or raw == []:
            continue
        if isinstance(raw, _SEQUENCES):
            for v in raw:
                if v is not None and v != "":
                    values[(prop, value_text(v))] = None
        else:
            values[(prop, value_text(raw))] = None
    return values


def unasserted(item_id: str, props: Mapping[str, Any], retracted: Collection[str], withdrawn: str) -> bool:
    """Whether an item left with no statement lost its last assertion to the DEL of source
    ``withdrawn`` (``retracted``: the items that DEL took statements from): no other source is
    left in its ``sources`` to hold values written before the statement model."""
    return item_id in retracted and all(
        s == withdrawn or s.startswith(withdrawn + ":") for s in props.get("sources") or ())


def _statements(names: list[str], entity: str, props: Mapping[str, Any], load_source: str, record_id: str,
                rel_type: str, line: str = "") -> list[Statement]:
    """The statements of one stamped record; ``line``: the line of the source that said it, for a
    line statement, which is made even with no value (a line drawing a link: the module docstring)."""
    values = asserted_entries(names, props)  # what assert_value makes of them
    if not values and not line:
        return []
    first, last = str(props.get("firstSeen") or ""), str(props.get("lastSeen") or "")
    owner, tlp = str(props.get("owner") or ""), str(props.get("tlp") or "")
    shared_with = tuple(props.get("sharedWith") or ())
    return [Statement(entity, owner, source, tlp, shared_with, {key: [record_id, first, last] for key in values},
                      type=rel_type, line=line)
            for source in asserting_sources(props.get("sources") or [], load_source)]
