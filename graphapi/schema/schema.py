"""Assemble the GraphQL schema; nothing is defined here.

``schema`` is the process-wide ``strawberry.Schema``; ``print_sdl()`` is what ``lintas schema``
prints and ``schema.graphql`` must equal.
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry import Schema
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graphapi.schema.extensions import PublicErrors
from graphapi.schema.queries.entity import EntityQuery
from graphapi.schema.queries.neighborhood import NeighborhoodQuery
from graphapi.schema.queries.node import NodeQuery
from graphapi.schema.queries.paths import PathsQuery
from graphapi.schema.queries.search import SearchQuery
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES

Query = merge_types("Query", (NodeQuery, EntityQuery, SearchQuery, NeighborhoodQuery, PathsQuery))


class LintasSchema(Schema):
    """``Schema`` whose errors are logged by :class:`PublicErrors` (with request ids), not by strawberry."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


schema = LintasSchema(
    query=Query,
    types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
    extensions=[PublicErrors],
)


def print_sdl() -> str:
    """The schema in SDL, as committed in ``schema.graphql`` (ends with a newline)."""
    return schema.as_str() + "\n"
