"""The ``ingest(records)`` mutation: small batches from partner systems, through the same
validation, identifier guard, provenance and writer as the bulk loaders
(``graphapi.ingest.service.ingest_records``). Needs the ``loader`` or ``admin`` role; the caller's
agency owns what it writes.

Each record's shape is checked by the service first (``graphapi.ingest.record_shape``): a record
it could not read or would misread (``properties`` that is not an object, a list for a single-valued
property, an id that is not a non-blank string, a value over the file loaders' 1 MiB limit, an
unknown hint) is rejected with its index and a clear reason, and the rest of the batch still loads."""

from __future__ import annotations

import contextlib
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graphapi.errors import Forbidden, InvalidArgument
from graphapi.ingest.agency_turns import agency_turn
from graphapi.ingest.held_refusals import held_refusals
from graphapi.ingest.options import MAX_AGENCIES, check_agencies
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.service import MAX_RECORDS, ingest_records
from graphapi.ontology import load_model
from graphapi.schema.security_queries import audit_of
from graphapi.schema.types.enums import TLP
from graphapi.security.hits import RestrictedHit, audit_hits, charge_ingest_hits, foreign_protected_ids
from graphapi.security.redaction import may_see_victims
from graphapi.security.runtime import security_runtime

WRITER_ROLES = frozenset({"loader", "admin"})


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
    nodes_created: int | None = strawberry.field(
        description="Nodes that did not exist before (a record about a stored node merges into it); null on a "
                    "dry run, which asks the store nothing.")
    relationships_created: int | None = strawberry.field(
        description="Relationships that did not exist before; null on a dry run.")
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
            "agency owns what is written, at `tlp` (default AMBER), shared with `sharedWith` "
            f"(at most {MAX_AGENCIES} agency ids). Needs the loader or admin role. "
            "`dryRun` checks each record's shape, values and keys without writing and without "
            "reading the stored graph: a record the real call refuses for what is stored (would disclose, "
            "restricted, label conflict, a missing end) is accepted by a dry run, so a dry run does not "
            "pre-check a batch against the graph. "
            "A record naming a node or relationship you may not see is a hit (rejected as restricted, "
            "audited for its owner) and takes one unit of the `restrictedLookup` budget: error RATE_LIMITED, "
            "nothing written, when a call's hits exceed what is left."
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
        try:  # agency ids, as share(agencies:) takes them: they are stored on every item written
            shared = check_agencies(shared_with or ())
        except ValueError as exc:
            raise InvalidArgument(f"sharedWith{exc}" if str(exc).startswith("[") else f"sharedWith {exc}") from None
        ctx = info.context
        request_id = getattr(ctx, "request_id", None)

        async def charge(recs: list[NodeRecord | EdgeRecord], provenance: Provenance) -> set[str]:
            # another agency's victim is hidden from a caller without victim-data; hits come out
            # of the restrictedLookup budget, those a held-apart item or placeholder refuses too
            ids = sorted({r.id for r in recs})
            ends = sorted({e for r in recs if isinstance(r, EdgeRecord) for e in (r.start, r.end)})
            protected = set(await foreign_protected_ids(ctx.store, principal, [*ids, *ends]))
            held = await held_refusals(ctx.store, load_model(), recs, source=source, provenance=provenance)
            budget = getattr(ctx, "lookup_budget", None) or security_runtime().lookup_budget
            await charge_ingest_hits(ctx.store, principal, ids, budget, audit_of(info), request_id=request_id,
                                     protected=protected, held=held)
            return protected

        source = f"graphql:{principal.agency}"

        try:
            async with contextlib.nullcontext() if dry_run else agency_turn(principal.agency):
                result = await ingest_records(
                    ctx.store, list(records), source=source,
                    owner=principal.agency, tlp=tlp.value, shared_with=shared, dry_run=dry_run, before_write=charge,
                    victim_blind=not may_see_victims(principal),  # nodesCreated: a guessed victim's id (a-57, 6)
                )
        except ValueError as exc:
            raise InvalidArgument(str(exc)) from None
        summary = result.summary
        if summary is not None and summary.hits:  # a record met a hidden item: the owner's trail says so
            audit_hits(audit_of(info), principal, "ingest", [RestrictedHit(agency=o, id=i) for i, o in summary.hits],
                       request_id=getattr(info.context, "request_id", None))
        # The service numbers records from 1 like file lines: indexes in `records` are one less.
        rejected = [IngestRejection(index=i - 1, reason=r) for i, r in result.rejected]
        return IngestResult(
            accepted=result.accepted,
            rejected=rejected,
            ids=[IngestedId(index=i - 1, lintas_id=v) for i, v in sorted(result.ids.items())],
            nodes_created=summary.nodes_created if summary else 0,
            relationships_created=summary.relationships_created if summary else 0,
            dry_run=dry_run,
        )
