"""Identifier guard: placeholder exclusion list and the over-correlation circuit breaker.

Runs on the record stream after normalisation and before the writer (DESIGN.md: "placeholder
identifier values never become shared identifier nodes; an identifier that suddenly links too
many entities is quarantined for review").

- **Exclusion.** An identifier node (``policy.identifier_labels``: Phone, Device, BankAccount,
  CryptoWallet, UserAccount, Website, Address) whose key or search value is on the exclusion list
  (``seed/exclusions/*.yaml`` plus deployment files) is not written. Each edge that would have
  attached it to an entity becomes text instead: the entity gets ``identifiers: ["Phone:N/A"]``.
- **Circuit breaker** (MISP's over-correlation limit): the guard counts, per identifier node, the
  distinct entities attached to it by ``policy.linking_relationships`` in this load. When that
  count passes ``correlation_limit``, the identifier is flagged ``quarantined: true`` and every
  further link becomes text on the entity (``identifiers``), for an analyst to review. Links
  written before the limit stay. Across loads (small batches never reach the limit alone), the
  writer counts the stored links of each identifier a load linked and flags it the same way
  (``Writer._check_correlation``, ``cypher/ingest/identifier_holders.cypher``); a later load's
  new links to a flagged identifier become text on the holder as well, while stored links
  asserted again stay (``Writer._divert_quarantined``, ``cypher/ingest/quarantined_links.cypher``).
  Both count per audience: the writer writes the guard's flag as a mark for the agencies that may
  see every holder it counted (:meth:`IdentifierGuard.counted`), and counts only the stored links
  its agency may see (:mod:`graphapi.ingest.write_correlation`). A link names an identifier the
  load has no record of by its natural-key id (``phone:+66...``), and is counted all the same.

Nationality, gender and country are properties, never nodes, so they link nothing by design.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphapi import resources
from graphapi.ingest.quarantine_notes import DivertedLinks
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ontology import Label, Model, load_model

SEED = resources.SEED / "exclusions"
_KEY = re.compile(r"[^0-9a-z]+")


def key_of(value: Any) -> str:
    """The comparison key of a value: lower case, letters and digits only (``"N/A"`` -> ``"na"``)."""
    return _KEY.sub("", str(value).casefold())


@dataclass
class Exclusions:
    """The merged exclusion lists and breaker policy (see ``seed/exclusions/placeholders.yaml``)."""

    any: set[str] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    values: dict[str, set[str]] = field(default_factory=dict)
    contains: dict[str, list[str]] = field(default_factory=dict)
    identifier_labels: set[str] = field(default_factory=set)
    linking_relationships: set[str] = field(default_factory=set)
    correlation_limit: int = 50

    def add_file(self, path: Path) -> None:
        """Merge one YAML file into these lists (entries add up; ``policy`` keys override)."""
        doc = _read_list(path)
        self.any |= {key_of(v) for v in doc.get("any") or []}
        self.patterns += [re.compile(p) for p in doc.get("patterns") or []]
        for name, spec in doc.items():
            if name in ("any", "patterns", "policy") or not isinstance(spec, dict):
                continue
            self.values.setdefault(name, set()).update(key_of(v) for v in spec.get("values") or [])
            self.contains.setdefault(name, []).extend(
                k for k in (key_of(v) for v in spec.get("contains") or []) if k
            )
        policy = doc.get("policy") or {}
        if "identifier_labels" in policy:
            self.identifier_labels = set(policy["identifier_labels"])
        if "linking_relationships" in policy:
            self.linking_relationships = set(policy["linking_relationships"])
        if "correlation_limit" in policy:
            self.correlation_limit = int(policy["correlation_limit"])

    def excluded(self, label: str, value: Any) -> bool:
        """True if ``value`` is a placeholder for identifier ``label`` (or for every label)."""
        k = key_of(value)
        if k in self.any or k in self.values.get(label, ()):
            return True
        if any(p.fullmatch(k) for p in self.patterns):
            return True
        return any(c in k for c in self.contains.get(label, ()))


#: (path, mtime, size) -> the parsed file: every load (each reader, each guard) reads the lists
#: again, and parsing the seed's YAML cost more than a small load's rows
_PARSED: dict[tuple[str, int, int], dict[str, Any]] = {}


def _read_list(path: Path) -> dict[str, Any]:
    """One exclusion file parsed, remembered while the file stays as it is (same mtime and size).
    The document is shared: callers only read it."""
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    doc = _PARSED.get(key)
    if doc is None:
        doc = _PARSED[key] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return doc


def exclusions_fingerprint(ex: Exclusions) -> Any:
    """A hashable summary of exclusion lists: guards and readers with equal lists share one memo."""
    return (frozenset(ex.any), tuple(p.pattern for p in ex.patterns),
            frozenset((k, frozenset(v)) for k, v in ex.values.items()),
            frozenset((k, tuple(v)) for k, v in ex.contains.items()), frozenset(ex.identifier_labels))


#: exclusion lists (:func:`exclusions_fingerprint`) -> {(label, value): placeholder or not}: a
#: verdict is a pure function of the lists, so every load over the same lists judges each
#: distinct identifier value once (a call-record feed names the numbers the subscriber feed's
#: load judged just before; a reload names them all again). Bounded, as it outlives the loads (a
#: server's): VERDICTS_MAX values per table (then emptied), VERDICT_TABLES tables (a deployment
#: has one set of lists, plus those of loads given their own files).
_VERDICTS: dict[Any, dict[tuple[str, Any], bool]] = {}
VERDICTS_MAX = 200_000
VERDICT_TABLES = 4


def _verdicts(ex: Exclusions) -> dict[tuple[str, Any], bool]:
    """The shared verdict memo of ``ex``'s lists (see :data:`_VERDICTS`)."""
    lists = exclusions_fingerprint(ex)
    table = _VERDICTS.get(lists)
    if table is None:
        if len(_VERDICTS) >= VERDICT_TABLES:
            _VERDICTS.clear()
        table = _VERDICTS[lists] = {}
    return table


def checked_properties(label: Label) -> tuple[str, ...]:
    """The properties of an identifier ``label`` whose values are compared with the exclusion
    lists: its key (but ``id``) and search properties, not a country (a document's issuing
    country ``NO`` is Norway, not the placeholder "no")."""
    names = [k for k in label.key if k != "id"] + [n for n in label.search_properties if n not in label.key]
    return tuple(n for n in names if label.properties[n].type != "country")


def load_exclusions(extra: Iterable[Path] = ()) -> Exclusions:
    """The seed exclusion files, then ``LINTAS_EXCLUSIONS`` paths (``:``-separated), then ``extra``."""
    ex = Exclusions()
    paths = sorted(SEED.glob("*.yaml"))
    env = os.environ.get("LINTAS_EXCLUSIONS", "")
    paths += [Path(p) for p in env.split(":") if p]
    paths += list(extra)
    for path in paths:
        ex.add_file(path)
    return ex


@dataclass
class GuardStats:
    """What the guard did: ids of excluded identifier nodes, quarantined ids, links made text."""

    excluded: set[str] = field(default_factory=set)
    quarantined: set[str] = field(default_factory=set)
    links_as_text: int = 0


@dataclass(frozen=True)
class HolderText:
    """What the guard yields for a link it keeps as ``text`` on a ``holder`` the load has no node
    record of (attack round 55, 2): the writer reads the holder's label from the store
    (``Writer.keep_as_text``), or writes a reject line naming the ``link``. The guard's other
    output is records."""

    holder: str
    text: str
    link: EdgeRecord
    #: the quarantined identifier the link named (None: a placeholder's link)
    ident: str | None = None


class IdentifierGuard:
    """Stream filter applying exclusions and the circuit breaker; see the module docstring.

    ``limit`` overrides the policy's ``correlation_limit`` (``None`` keeps it).
    """

    def __init__(self, exclusions: Exclusions | None = None, *, limit: int | None = None,
                 model: Model | None = None) -> None:
        self.ex = exclusions or load_exclusions()
        self.limit = self.ex.correlation_limit if limit is None else limit
        self.model = model or load_model()
        self.stats = GuardStats()
        self.diverted = DivertedLinks(self.limit)  # the rows whose links to a quarantined one became text
        self._labels: dict[str, str] = {}
        self._text: dict[str, str] = {}  # excluded identifier id -> "Label:value"
        self._holders: dict[str, set[str]] = {}  # identifier -> the holders linked within the load
        self._over: dict[str, set[str]] = {}  # identifier -> the holders past the limit (made text)
        self._ident_labels: dict[str, bool] = {}
        self._keyed: dict[str, str | None] = {}  # id prefix -> the label keyed by it (Model.keyed_label_of)
        self._excluded_cache = _verdicts(self.ex)  # shared by the loads over the same lists
        self._checked: dict[str, tuple[str, ...]] = {}  # label -> checked_properties

    def is_identifier(self, label: str) -> bool:
        """True if nodes of ``label`` are identifiers (the policy's ``identifier_labels`` or below)."""
        known = self._ident_labels.get(label)
        if known is None:
            known = any(self.model.is_a(label, i) for i in self.ex.identifier_labels if i in self.model.labels)
            self._ident_labels[label] = known
        return known

    def _excluded(self, label: str, value: Any) -> bool:
        key = (label, value)
        hit = self._excluded_cache.get(key)
        if hit is None:
            if len(self._excluded_cache) >= VERDICTS_MAX:
                self._excluded_cache.clear()  # in place: the other guards over these lists hold it
            hit = self._excluded_cache[key] = self.ex.excluded(label, value)
        return hit

    def _checked_values(self, rec: NodeRecord) -> list[Any]:
        out: list[Any] = []
        names = self._checked.get(rec.label)
        if names is None:
            names = self._checked[rec.label] = checked_properties(self.model.label(rec.label))
        for n in names:
            v = rec.properties.get(n)
            out.extend(v if isinstance(v, list) else [v] if v is not None else [])
        return out

    def _display(self, rec: NodeRecord) -> str:
        """``Label:value`` kept as text for an excluded identifier: its searchable value (an
        e-mail's address, not its service ``email``), else its first key value."""
        lb = self.model.label(rec.label)
        for names in (lb.search_properties, [k for k in lb.key if k != "id"]):
            for n in names:
                v = rec.properties.get(n)
                shown = next((x for x in (v if isinstance(v, list) else [v]) if x not in (None, "")), None)
                if shown is not None:
                    return f"{rec.label}:{shown}"
        return f"{rec.label}:{rec.id if rec.unresolved else ''}"

    def process(self, records: Iterable[NodeRecord | EdgeRecord | Any]) -> Iterator[Any]:
        """Yield the records to write; other values (rejections) pass through unchanged."""
        text, linking = self._text, self.ex.linking_relationships
        for rec in records:
            if isinstance(rec, NodeRecord):
                yield from self._node(rec)
            elif isinstance(rec, EdgeRecord):
                # most links pass as they are (no end made text, not a linking type): told so here,
                # without the generator of _edge for every relationship a load reads
                if rec.type not in linking and rec.end not in text and rec.start not in text:
                    yield rec
                else:
                    yield from self._edge(rec)
            else:
                yield rec

    def _node(self, rec: NodeRecord) -> Iterator[NodeRecord]:
        self._labels.setdefault(rec.id, rec.label)
        if self.is_identifier(rec.label):
            # A placeholder (a bare reference, ``unresolved``) holds no value: it is judged by the
            # id it is referred to by, so a reference is no empty value (FtM addressEntity).
            values = self._checked_values(rec) or ([rec.id] if rec.unresolved else [])
            if not values or any(self._excluded(rec.label, v) for v in values):
                self.stats.excluded.add(rec.id)
                self._text[rec.id] = self._display(rec)
                return
        yield rec

    def _edge(self, rec: EdgeRecord) -> Iterator[NodeRecord | EdgeRecord | HolderText]:
        ident, holder = None, None
        if rec.end in self._text or rec.start in self._text:
            ident, holder = (rec.end, rec.start) if rec.end in self._text else (rec.start, rec.end)
            yield from self._as_text(holder, self._text[ident], rec)
            return
        label = None
        if rec.type in self.ex.linking_relationships:
            end_label = self.label_of(rec.end)
            start_label = self.label_of(rec.start)
            if end_label and self.is_identifier(end_label):
                ident, holder, label = rec.end, rec.start, end_label
            elif start_label and self.is_identifier(start_label):
                ident, holder, label = rec.start, rec.end, start_label
        if ident is not None and holder is not None and label is not None:
            holders = self._holders.setdefault(ident, set())
            if holder not in holders and len(holders) >= self.limit:
                if ident not in self.stats.quarantined:
                    self.stats.quarantined.add(ident)
                    # of an identifier the load has no record of, a bare reference (it asserts nothing)
                    yield NodeRecord(label, ident, {"quarantined": True}, rec.origin,
                                     unresolved=ident not in self._labels)
                self._over.setdefault(ident, set()).add(holder)
                text = f"{label}:{ident.split(':', 1)[-1]}"
                if holder in self._labels and holder not in self._text:  # else the writer places it
                    self.diverted.note(rec, ident, text, holder)
                yield from self._as_text(holder, text, rec, ident)
                return
            holders.add(holder)
        yield rec

    def label_of(self, nid: str) -> str | None:
        """The label of node ``nid``: of its record in this load, else the label whose natural-key
        ids it has the form of (``phone:+66...``): a load of links alone names identifiers by id
        (attack round 55, 4)."""
        label = self._labels.get(nid)
        if label is None:
            prefix = nid.partition(":")[0]
            if prefix not in self._keyed:
                self._keyed[prefix] = self.model.keyed_label_of(nid)
            label = self._keyed[prefix]
        return label

    def counted(self, ident: str) -> tuple[list[str], list[str]]:
        """The holders of identifier ``ident`` this load's breaker counted (linked or past the
        limit), and those of them it let link: whoever may see them all may be told of its quarantine."""
        linked = self._holders.get(ident, set())
        return sorted(linked | self._over.get(ident, set())), sorted(linked)

    def _as_text(self, holder: str, text: str, rec: EdgeRecord,
                 ident: str | None = None) -> Iterator[NodeRecord | HolderText]:
        self.stats.links_as_text += 1
        if holder in self._text:
            return
        label = self._labels.get(holder)
        if label is None:  # a holder the load names only by id: the writer reads its label
            yield HolderText(holder, text, rec, ident)
            return
        yield NodeRecord(label, holder, {"identifiers": [text]}, rec.origin)
