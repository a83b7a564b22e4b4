"""Introspection off (production): a client asking for the schema is told where it is.

graphql-core's ``NoSchemaIntrospectionCustomRule`` refuses every field of an introspection type
(``__schema``, ``__type`` and each field under them: a GraphiQL or codegen introspection query
got dozens of errors) and says only that introspection is disabled; a new user took that for a
broken server. This rule refuses the same documents with one error that says where the schema
is: ``schema.graphql`` in the repository, which ``lintas schema`` prints (the committed file and
the served schema are the same: ``tests/schema/test_sdl_snapshot.py``).
"""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, GraphQLError, get_named_type, is_introspection_type
from graphql.validation import ValidationRule

#: What a client asking for the schema is told (README "lintas schema", docs/security.md).
INTROSPECTION_OFF = ("GraphQL introspection is off on this server (LINTAS_ENV=development turns it on); "
                     "the schema is schema.graphql in the Lintas repository, and `lintas schema` prints it. "
                     "The query asked for '{field}'.")


class IntrospectionOff(ValidationRule):
    """Refuse a document selecting any field of an introspection type, once per document, with
    :data:`INTROSPECTION_OFF` (``__typename`` is no introspection type: it stays allowed)."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.reported = False

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        if self.reported:
            return
        type_ = get_named_type(self.context.get_type())
        if type_ and is_introspection_type(type_):
            self.reported = True
            self.report_error(GraphQLError(INTROSPECTION_OFF.format(field=node.name.value), node))
