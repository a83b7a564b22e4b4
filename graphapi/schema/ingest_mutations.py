"""The ``ingest(records)`` mutation: small batches from partner systems, through the same
validation, identifier guard, provenance and writer as the bulk loaders
(``graphapi.ingest.service.ingest_records``). Needs the ``loader`` or ``admin`` role; the caller's
agency owns what it writes.

Each record's shape is checked here first (:func:`record_problem`): a record the service could
not read or would misread (``properties`` that is not an object, a list for a single-valued
property, an id that is not a non-blank string, a value over the file loaders' 1 MiB limit, an
unknown hint) is rejected with its index and a clear reason, and the rest of the batch still loads."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graphapi.errors import Forbidden, InvalidArgument
from graphapi.ingest.readers.base import MAX_FIELD_CHARS
from graphapi.ingest.service import MAX_RECORDS, ingest_records
from graphapi.ontology import Model, load_model
from graphapi.schema.types.enums import TLP

WRITER_ROLES = frozenset({"loader", "admin"})


def json_type(value: Any) -> str:
    """``value``'s JSON type with an article, for reasons: ``an object``, ``a list``, ``a string``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


#: Hints a record may give (``hints``), each with a check of its value: the ones the ontology's
#: types read (``graphapi.ontology.types``: a phone's region, a naive time's zone, day-first dates).
HINTS = {
    "country": ("a country code or a list of them",
                lambda v: isinstance(v, str) or (isinstance(v, list) and all(isinstance(c, str) for c in v))),
    "tz": ("an IANA time zone such as Asia/Bangkok", lambda v: isinstance(v, str) and _is_zone(v)),
    "dayfirst": ("true or false", lambda v: isinstance(v, bool)),
}
#: Top-level fields that name a node, a node record or a relationship: strings, never blank.
REFERENCES = ("id", "key", "from", "to")
#: Top-level text fields the service reads (others are ignored).
FIELDS = ("kind", "label", "type", *REFERENCES, "discriminator")


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def record_problem(record: dict[str, Any], model: Model) -> str | None:
    """Why the input ``record`` (one item of ``ingest(records)``) cannot be read, or ``None``.

    Checks the shape: ``properties`` and ``hints`` are JSON objects (or absent); ``id``, ``key``,
    ``from``, ``to`` are non-blank strings and ``discriminator`` a string (or absent); hints are
    those of :data:`HINTS`; a property of the record's label or type takes a list only if it is
    ``multiple`` in the ontology, never an object, and no string value (property or
    :data:`FIELDS`) is over ``graphapi.ingest.readers.base.MAX_FIELD_CHARS`` characters, the file
    loaders' limit. Values are cleaned, and labels, types and property names checked, by the
    service (its rejections).
    """
    for name in FIELDS:
        value = record.get(name)
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            return f"{name}: a value over {MAX_FIELD_CHARS:,} characters"
    for name in ("properties", "hints"):
        value = record.get(name)
        if value is not None and not isinstance(value, dict):
            return f"{name} must be a JSON object, got {json_type(value)}"
    for name in REFERENCES:
        value = record.get(name)
        if value is not None and not (isinstance(value, str) and value.strip()):
            got = "a blank string" if isinstance(value, str) else json_type(value)
            return f"{name} must be a non-blank string, got {got}"
    discriminator = record.get("discriminator")
    if discriminator is not None and not isinstance(discriminator, str):
        return f"discriminator must be a string, got {json_type(discriminator)}"
    for name, value in (record.get("hints") or {}).items():
        if name not in HINTS:
            return f"unknown hint {name[:100]!r}; hints: {', '.join(HINTS)}"
        expected, valid = HINTS[name]
        if not valid(value):
            got = repr(value[:100]) if isinstance(value, str) else json_type(value)
            return f"hints.{name} must be {expected}, got {got}"
    kind = record.get("kind") or ("relationship" if "type" in record else "node")
    label_or_type = record.get("label" if kind == "node" else "type")
    specs = model.labels if kind == "node" else model.relationships if kind == "relationship" else {}
    spec = specs.get(label_or_type) if isinstance(label_or_type, str) else None
    if spec is None:
        return None  # an unknown kind, label or type: the service says which
    for name, value in (record.get("properties") or {}).items():
        prop = spec.properties.get(name)
        if prop is None or prop.internal:
            continue  # the service refuses it: "<label> has no property <name>"
        if isinstance(value, list) and not prop.multiple:
            return f"{spec.name}.{name} takes one value, got a list"
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, dict | list):
                return f"{spec.name}.{name}: a value must be a string, number or boolean, got {json_type(item)}"
            if isinstance(item, str) and len(item) > MAX_FIELD_CHARS:
                return f"{spec.name}.{name}: a value over {MAX_FIELD_CHARS:,} characters"
    return None


@strawberry.type(description="A record that was not loaded: its index in `records` and why.")
class IngestRejection:
    index: int
    reason: str


@strawberry.type(description="The Lintas id a loaded record (node or relationship) got, by its index in `records`.")
class IngestedId:
    index: int
    lintas_id: str


@strawberry.type(description="Outcome of `ingest`: records read = accepted + rejected.")
class IngestResult:
    accepted: int
    rejected: list[IngestRejection]
    ids: list[IngestedId]
    nodes_created: int
    relationships_created: int
    dry_run: bool


@strawberry.type
class IngestMutation:
    @strawberry.mutation(
        description=(
            f"Load up to {MAX_RECORDS} records. Node: `{{kind: \"node\", label, properties, hints?, key?}}`; "
            "relationship: `{kind: \"relationship\", type, from, to, properties, discriminator?}` where "
            "`from`/`to` are Lintas ids or the `key` of a node record in the same call. Values are "
            "normalised by the ontology's types (phones to E.164 with `hints.country`, IBAN, ISO 3166, "
            "ISO 8601); a bad record is rejected with its index and reason, never dropped silently. Your "
            "agency owns what is written, at `tlp` (default AMBER), shared with `sharedWith`. Needs the "
            "loader or admin role. `dryRun` validates without writing."
        )
    )
    async def ingest(
        self,
        info: Info[Any, None],
        records: list[JSON],
        tlp: TLP = TLP.AMBER,
        shared_with: list[str] | None = None,
        dry_run: bool = False,
    ) -> IngestResult:
        principal = info.context.principal
        if not (WRITER_ROLES & set(principal.roles)):
            raise Forbidden("ingest needs the loader or admin role")
        if not principal.agency:
            raise Forbidden("ingest needs a principal with an agency (it owns what is written)")
        if not all(isinstance(r, dict) for r in records):
            raise InvalidArgument("every record must be a JSON object")
        if len(records) > MAX_RECORDS:  # before reading any of them
            raise InvalidArgument(f"at most {MAX_RECORDS} records per call; upload a file instead")
        model = load_model()
        rejected: list[IngestRejection] = []
        readable: list[int] = []  # indexes of the records passed to the service, in order
        for index, record in enumerate(records):
            problem = record_problem(record, model)
            if problem is None:
                readable.append(index)
            else:
                rejected.append(IngestRejection(index=index, reason=problem))
        try:
            result = await ingest_records(
                info.context.store, [records[i] for i in readable], source=f"graphql:{principal.agency}",
                owner=principal.agency, tlp=tlp.value, shared_with=tuple(shared_with or ()), dry_run=dry_run,
            )
        except ValueError as exc:
            raise InvalidArgument(str(exc)) from None
        # The service numbers the records it got from 1 like file lines: back to indexes in `records`.
        rejected += [IngestRejection(index=readable[i - 1], reason=r) for i, r in result.rejected]
        summary = result.summary
        return IngestResult(
            accepted=result.accepted,
            rejected=sorted(rejected, key=lambda r: r.index),
            ids=[IngestedId(index=readable[i - 1], lintas_id=v) for i, v in sorted(result.ids.items())],
            nodes_created=summary.nodes_created if summary else 0,
            relationships_created=summary.relationships_created if summary else 0,
            dry_run=dry_run,
        )
