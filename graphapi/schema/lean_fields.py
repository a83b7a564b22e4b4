"""Fields whose resolver is a plain method of the object resolved directly by graphql-core.

strawberry runs every field that has a resolver through its own wrapper: an ``Info`` object, the
arguments converted, the field extensions chained, then the method. For a method that takes only
``self`` (``Entity.lintas_id``, ``caption``, ``Relationship.source_id``, ...: they read the
record's view) all of that does nothing, yet it was about a third of a 100-node subgraph's CPU
(issue 14: ~300 such fields a response). So, once the schema is built, such a field's graphql-core
resolver is replaced by one calling the method on the parent object, which is what strawberry's
wrapper ends up doing. A field with arguments, ``info``, ``root``/``parent``, field extensions or
permissions, an async method, or an exception handler that may apply keeps strawberry's wrapper.
Schema extensions' ``resolve`` hooks are graphql-core middleware, applied around either resolver.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLField, GraphQLObjectType
from strawberry import Schema
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


def _plain_method(field: StrawberryField) -> Callable[[Any], Any] | None:
    """The method a field's resolver calls, if it takes only ``self`` and nothing wraps it."""
    resolver = field.base_resolver
    if resolver is None or field.extensions or getattr(field, "permission_classes", None):
        return None
    if resolver.is_async or resolver.arguments or resolver.self_parameter is None:
        return None
    if resolver.info_parameter or resolver.root_parameter or resolver.parent_parameter:
        return None
    if len(resolver.signature.parameters) != 1:  # something strawberry passes that we would not
        return None
    method = resolver.wrapped_func
    return method if callable(method) else None


def _lean(method: Callable[[Any], Any]) -> Callable[..., Any]:
    def resolve(source: Any, _info: Any) -> Any:
        return method(source)

    return resolve


def make_lean(schema: Schema) -> list[str]:
    """Give every plain-method field of ``schema`` a direct resolver; the ``Type.field`` names done."""
    if schema.schema_converter._exception_handler_specs:  # a handler might apply to any field
        return []
    done = []
    for type_name, gql_type in schema._schema.type_map.items():
        if not isinstance(gql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for name, gql_field in gql_type.fields.items():
            field = (gql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            method = _plain_method(field) if isinstance(field, StrawberryField) else None
            if method is not None:
                _set_resolve(gql_field, _lean(method))
                done.append(f"{type_name}.{name}")
    return done


def _set_resolve(gql_field: GraphQLField, resolve: Callable[..., Any]) -> None:
    gql_field.resolve = resolve
