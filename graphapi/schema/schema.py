"""Assemble the GraphQL schema; nothing is defined here.

``schema`` is the process-wide ``strawberry.Schema``; ``print_sdl()`` is what ``lintas schema``
prints and ``schema.graphql`` must equal.
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry import Schema
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graphapi.schema.extension_hooks import PlannedExtensionsRunner
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.ingest_mutations import IngestMutation
from graphapi.schema.lean_fields import make_lean
from graphapi.schema.limits import Limits, limit_extensions
from graphapi.schema.queries.analytics import AnalyticsQuery
from graphapi.schema.queries.entity import EntityQuery
from graphapi.schema.queries.geo import GeoQuery
from graphapi.schema.queries.neighborhood import NeighborhoodQuery
from graphapi.schema.queries.node import NodeQuery
from graphapi.schema.queries.paths import PathsQuery
from graphapi.schema.queries.quarantined import QuarantinedQuery
from graphapi.schema.queries.search import SearchQuery
from graphapi.schema.queries.syndicates import SyndicatesQuery
from graphapi.schema.security_audit import AuditOperations
from graphapi.schema.security_mutations import SecurityMutation
from graphapi.schema.security_queries import SecurityQuery
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.settings import Settings, get_settings

Query = merge_types("Query", (NodeQuery, EntityQuery, SearchQuery, NeighborhoodQuery, PathsQuery, SecurityQuery,
                                AnalyticsQuery, SyndicatesQuery, GeoQuery, QuarantinedQuery))
Mutation = merge_types("Mutation", (SecurityMutation, IngestMutation))


class LintasSchema(Schema):
    """``Schema`` whose errors are logged by :class:`PublicErrors` (with request ids), not by
    strawberry, and whose extensions' hooks are looked up once per set of extension classes
    (:mod:`graphapi.schema.extension_hooks`), not per request."""

    def create_extensions_runner(self, execution_context: ExecutionContext,
                                 extensions: list[SchemaExtension]) -> SchemaExtensionsRunner:
        return PlannedExtensionsRunner(execution_context=execution_context, extensions=extensions)

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


#: The schema built for each set of limits: one per process in service; the tests build apps by
#: the hundred, and building the schema was 0.23 s of CPU each (236 builds, 54 s, in tests/api).
_built: dict[Limits, LintasSchema] = {}


def build_schema(settings: Settings | None = None) -> LintasSchema:
    """The schema with the extensions ``settings`` ask for: audit of every operation (first, so it
    sees the public error codes), public errors, victim redaction, and the limits of
    ``graphapi.schema.limits`` (depth, aliases, tokens, cost; introspection and suggestions off
    unless ``LINTAS_ENV=development``). Built once per :class:`Limits`: nothing else of the
    settings goes into it, and a request's state lives in its context, not in the schema."""
    limits = Limits.of(settings or get_settings())
    if (built := _built.get(limits)) is None:
        built = _built[limits] = LintasSchema(
            query=Query,
            mutation=Mutation,
            types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
            extensions=[AuditOperations, PublicErrors, RedactVictims, *limit_extensions(limits)],
        )
        make_lean(built)  # self-only method fields skip strawberry's per-field wrapper (issue 14)
    return built


schema = build_schema()


def print_sdl() -> str:
    """The schema in SDL, as committed in ``schema.graphql`` (ends with a newline)."""
    return schema.as_str() + "\n"
