"""Ingest services for the API: small record batches (GraphQL ``ingest(records)``) and file load
jobs (HTTP upload) whose progress can be polled. The GraphQL and HTTP layers stay thin and call
these; they get plain dataclasses back. File load jobs live in :mod:`graphapi.ingest.load_jobs`
(re-exported here).

Records from partner systems go through the same path as the bulk loaders: every value is cleaned
by the ontology's value type (``graphapi.ontology.types``), ids come from the natural keys
(``Model.node_id``), the identifier guard applies the exclusion list and the circuit breaker, and
the writer merges provenance. A bad record is a rejection (index + reason), never an exception.

Input record shape (JSON-ready dicts)::

    {"kind": "node", "label": "Phone", "properties": {"number": "081 234 5678"},
     "hints": {"country": "TH"}, "key": "optional caller-side reference"}
    {"kind": "relationship", "type": "CALLED", "from": <ref>, "to": <ref>,
     "properties": {"at": "2026-03-01T10:00:00+07:00", "durationS": 30}, "discriminator": "cdr-1"}

where ``<ref>`` is a Lintas node id or the ``key`` of a node record in the same batch.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphapi.ingest.load_job import LoadJob
from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.load_kinds import make_reader, shipped_mappings
from graphapi.ingest.load_summary import LoadSummary
from graphapi.ingest.mapping.plan import ASSUMED_ZONE
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import Item, ReadStats
from graphapi.ingest.readers.nulls import no_value
from graphapi.ingest.record_shape import record_problem
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection
from graphapi.ingest.writer import Provenance
from graphapi.ontology import (
    Model,
    OntologyError,
    RelationshipType,
    kept_by_loader,
    load_model,
    required_properties,
)
from graphapi.ontology.ids import canonical_id
from graphapi.ontology.types import get_type
from graphapi.ontology.types.datetime import zone_given
from graphapi.store.base import GraphStore

#: Most records one ``ingest(records)`` call accepts; bigger loads go through a file job.
MAX_RECORDS = 5_000

log = logging.getLogger("graphapi.ingest")


@dataclass
class IngestResult:
    """Outcome of :func:`ingest_records`: ``ids`` per accepted input index, rejections by index."""

    accepted: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    ids: dict[int, str] = field(default_factory=dict)
    summary: LoadSummary | None = None


class _ListReader:
    """Adapts already-built items to the reader protocol (one input record = one row)."""

    def __init__(self, items: list[Item], rows: int, rejected: int) -> None:
        self._items = items
        self.stats = ReadStats(rows=rows, rejected=rejected)

    def records(self) -> Iterator[Item]:
        yield from self._items


def clean_properties(model: Model, props_spec: dict[str, Any], raw: dict[str, Any], hints: dict[str, Any],
                 what: str) -> dict[str, Any]:
    """The cleaned properties of one record, by the rules every loader applies: a value that is
    no value (missing, blank, a null token its type does not take: ``graphapi.ingest.readers.nulls``)
    is left out, one its type refuses rejects the record with the type's reason (a negative
    amount, an unknown currency), and a property the type requires (a transfer's ``amount``)
    must be given."""
    out: dict[str, Any] = {}
    for name, value in (raw or {}).items():
        prop = props_spec.get(name)
        # what the loader keeps itself (ontology.LOADER_KEPT, internal): a forged conflict would
        # read as another source's, a forged heldApart opts an item out of hit / no-hit
        if prop is None or kept_by_loader(props_spec, name):
            raise OntologyError(f"{what} has no property {name!r}")
        extra = {"values": prop.values} if prop.type == "enum" else {}
        vtype = get_type(prop.type)
        values = [v for v in (value if isinstance(value, list) else [value]) if not no_value(v, prop.type, **hints)]
        cleaned = []
        for v in values:
            if (c := vtype.clean(v, **hints, **extra)) is None:
                raise OntologyError(f"{what}.{name}: {vtype.refusal(v, **hints)}")
            cleaned.append(c)
        if cleaned:
            out[name] = list(dict.fromkeys(cleaned)) if prop.multiple else cleaned[0]
    missing = [n for n in required_properties(props_spec) if n not in out]
    if missing:
        raise OntologyError(f"{what} lacks {missing}")
    return out


def assumed_zone(rt: RelationshipType, raw: dict[str, Any], cleaned: dict[str, Any],
                 hints: dict[str, Any]) -> str | None:
    """The zone a time of relationship record ``raw`` given without an offset was read in: the
    record's ``tz`` hint, else ``UTC``, as a mapped feed records it in ``assumedTimeZone``; None
    when every time said its zone (an offset, ``Z``, epoch time)."""
    if ASSUMED_ZONE not in rt.properties:
        return None
    local = any(p.type == "datetime" and name in cleaned and not all(
        zone_given(v) for v in (raw[name] if isinstance(raw[name], list) else [raw[name]]))
        for name, p in rt.properties.items())
    return str(hints.get("tz") or "UTC") if local else None


def build_records(records: list[dict[str, Any]], source: str, model: Model | None = None
                  ) -> tuple[list[Item], dict[int, str]]:
    """Validate and normalise input dicts into records; returns ``(items, ids by index)``.

    Items include a :class:`Rejection` (``file`` = ``"request"``, ``line`` = 1-based index) for
    each bad record: first its shape (:func:`graphapi.ingest.record_shape.record_problem`), then
    its label or type, values and keys.
    """
    model = model or load_model()
    items: list[Item] = []
    ids: dict[int, str] = {}
    keys: dict[str, str] = {}
    for i, rec in enumerate(records, start=1):
        origin = Origin(source, "request", i)
        problem = record_problem(rec, model)
        if problem is not None:  # unreadable or misread as it stands: its values are not cleaned
            items.append(Rejection("request", i, problem, rec))
            continue
        try:
            kind = rec.get("kind") or ("relationship" if "type" in rec else "node")
            hints = dict(rec.get("hints") or {})
            if kind == "node":
                lb = model.label(str(rec.get("label")))
                if lb.abstract:
                    raise OntologyError(f"label {lb.name} is abstract")
                props = clean_properties(model, lb.properties, rec.get("properties") or {}, hints, lb.name)
                if lb.key == ("id",):
                    if not rec.get("id"):
                        raise OntologyError(f"{lb.name} needs an id")
                    if no_value(rec["id"]):  # as FtM and a mapped CSV: "n/a" would merge unrelated records
                        raise OntologyError(f"{lb.name} id {rec['id']!r} is a null token, no id")
                    node_id = canonical_id(rec["id"])  # trimmed, NFC: as every loader does
                else:
                    node_id = model.node_id(lb.name, props)
                if rec.get("key"):
                    keys[str(rec["key"])] = node_id
                ids[i] = node_id
                items.append(NodeRecord(lb.name, node_id, props, origin))
            elif kind == "relationship":
                rt = model.relationship(str(rec.get("type")))
                if any(not rec.get(e) or no_value(rec[e]) for e in ("from", "to")):  # "n/a" is no reference, as in FtM
                    raise OntologyError(f"{rt.name} needs from and to")
                start = keys.get(rec["from"]) or canonical_id(rec["from"])
                end = keys.get(rec["to"]) or canonical_id(rec["to"])
                if ASSUMED_ZONE in (rec.get("properties") or {}):  # the loader's note, not a value (round 12, T2)
                    raise OntologyError(f"{rt.name}.{ASSUMED_ZONE} is set by Lintas from the zone a time without "
                                        "an offset is read in: give hints.tz instead")
                props = clean_properties(model, rt.properties, rec.get("properties") or {}, hints, rt.name)
                # an event without a discriminator is told apart by its own values (at, direction...)
                disc = str(rec.get("discriminator") or "") or model.event_discriminator(rt.name, props)
                if (zone := assumed_zone(rt, rec.get("properties") or {}, props, hints)) is not None:
                    props[ASSUMED_ZONE] = zone
                rid = model.relationship_id(rt.name, start, end, disc)
                ids[i] = rid
                items.append(EdgeRecord(rt.name, rid, start, end, props, origin))
            else:
                raise OntologyError(f"unknown record kind {kind!r}")
        except (OntologyError, TypeError, ValueError) as exc:
            items.append(Rejection("request", i, str(exc), rec))
    return items, ids


async def ingest_records(store: GraphStore, records: list[dict[str, Any]], *, source: str, owner: str,
                         tlp: str = "AMBER", shared_with: tuple[str, ...] = (), dry_run: bool = False,
                         before_write: Callable[[list[NodeRecord | EdgeRecord], Provenance], Awaitable[set[str]]]
                         | None = None, victim_blind: bool = False) -> IngestResult:
    """Validate, normalise and write a small batch of records (GraphQL ``ingest(records)``).

    ``owner`` should be the calling principal's agency. Raises ``ValueError`` for more than
    :data:`MAX_RECORDS` records or a bad ``tlp``; per-record problems are rejections.
    ``before_write`` is awaited with the records about to be written and the provenance they are
    written with (not on a dry run); what it raises stops the call before anything is written,
    and the ids it returns are treated as ones the caller may not see (``Writer.protected``).
    ``victim_blind``: the caller lacks victim-data; what it is told of its own agency's victims'
    items depends on nothing it may not read (:mod:`graphapi.ingest.blind_values`).
    """
    if len(records) > MAX_RECORDS:
        raise ValueError(f"at most {MAX_RECORDS} records per call; upload a file instead")
    items, ids = build_records(records, source)
    provenance = Provenance(owner=owner, tlp=tlp, shared_with=shared_with)
    protected: set[str] = set()
    if before_write is not None and not dry_run:
        protected = await before_write([r for r in items if isinstance(r, NodeRecord | EdgeRecord)], provenance)
    bad = [r for r in items if isinstance(r, Rejection)]
    reader = _ListReader(items, rows=len(records), rejected=len(bad))
    summary = await run_load(None if dry_run else store, reader, source=source, dry_run=dry_run,
                             provenance=provenance,
                             checkpoint=False,  # small batches: the server's own AOF policy suffices
                             viewer=owner, protected=frozenset(protected), victim_blind=victim_blind)
    # What the writer refused (merging into what the caller may not see) or could not link
    # (an endpoint missing, or one the caller may not see: the same answer) is a rejection too.
    rejected = {r.line: r.reason for r in bad}
    for r in [*summary.rejections, *summary.unlinked]:
        if r.file == "request":
            rejected.setdefault(r.line, r.reason)
    return IngestResult(accepted=len(records) - len(rejected), rejected=sorted(rejected.items()),
                        ids={k: v for k, v in ids.items() if k not in rejected},
                        summary=summary)


async def load_demo_samples(store: GraphStore, *, owner: str = "partner", tlp: str = "GREEN",
                            reject_dir: Path | None = None) -> list[LoadSummary]:
    """Load the four SYNTHETIC sample feeds of ``seed/samples`` (for ``lintas demo``); with
    ``reject_dir``, each feed's reject report is ``<reject_dir>/demo-<feed>.jsonl`` (rewritten)."""
    from graphapi.ingest.readers.mapped_csv import MAPPINGS, MappedCsvReader, load_mapping
    from graphapi.ingest.synthetic import FEEDS

    samples = MAPPINGS.parent / "samples"
    out = []
    for feed in FEEDS:
        reader = MappedCsvReader(load_mapping(feed), [samples / f"{feed}.synthetic.csv"])
        report = reject_dir / f"demo-{feed}.jsonl" if reject_dir is not None else None
        out.append(await run_load(store, reader, source=reader.source, reject_report=report,
                                  provenance=Provenance(owner=owner, tlp=tlp)))
    return out


__all__ = ["MAX_RECORDS", "IngestResult", "LoadJob", "LoadJobs", "build_records", "ingest_records",
           "load_demo_samples", "make_reader", "shipped_mappings"]
