"""Fields that are a method of their object taking only ``self`` are resolved by calling it, without
strawberry's per-field wrapper (issue 14); every other field keeps the wrapper, and the answers,
errors and schema extensions' ``resolve`` hooks are the same either way."""

from __future__ import annotations

import asyncio

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.types import Info

from graphapi.schema.lean_fields import make_lean
from graphapi.schema.schema import schema


class Deny(BasePermission):
    message = "denied"

    def has_permission(self, source, info, **kwargs) -> bool:
        return False


@strawberry.type
class Thing:
    name_: strawberry.Private[str]

    @strawberry.field
    def name(self) -> str:
        return self.name_.upper()

    @strawberry.field
    def shout(self, times: int) -> str:
        return self.name_ * times

    @strawberry.field
    def operation(self, info: Info) -> str:
        return info.operation.name.value

    @strawberry.field
    async def later(self) -> str:
        return self.name_

    @strawberry.field(permission_classes=[Deny])
    def secret(self) -> str:
        return self.name_

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("no view")


@strawberry.type
class Query:
    @strawberry.field
    def thing(self) -> Thing:
        return Thing(name_="ab")


def _built() -> tuple[strawberry.Schema, list[str]]:
    built = strawberry.Schema(query=Query)
    return built, make_lean(built)


def test_only_self_only_sync_unguarded_methods_are_made_lean():
    _, done = _built()
    assert sorted(done) == ["Query.thing", "Thing.broken", "Thing.name"]


def test_lean_and_wrapped_fields_answer_as_strawberry_does():
    built, _ = _built()
    plain = strawberry.Schema(query=Query)
    doc = "query Op { thing { name shout(times: 2) operation later } }"
    lean, wrapped = asyncio.run(built.execute(doc)), asyncio.run(plain.execute(doc))
    assert lean.errors is None and lean.data == wrapped.data == {
        "thing": {"name": "AB", "shout": "abab", "operation": "Op", "later": "ab"}
    }


def test_a_lean_field_that_raises_is_a_field_error_as_before():
    built, _ = _built()
    result = built.execute_sync("{ thing { name broken } }")
    assert result.data is None or result.data["thing"] is None
    assert [e.message for e in result.errors] == ["no view"]


def test_a_permission_still_refuses():
    built, _ = _built()
    result = built.execute_sync("{ thing { secret } }")
    assert [e.message for e in result.errors] == ["denied"]


def test_schema_extension_resolve_hooks_still_run_around_lean_fields():
    seen: list[str] = []

    class Watch(SchemaExtension):
        def resolve(self, _next, root, info, *args, **kwargs):
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    built = strawberry.Schema(query=Query, extensions=[Watch])
    assert "Thing.name" in make_lean(built)
    assert built.execute_sync("{ thing { name } }").data == {"thing": {"name": "AB"}}
    assert seen == ["thing", "name"]


def test_the_lintas_schema_reads_entity_and_relationship_views_directly():
    person = schema._schema.type_map["Person"].fields
    rel = schema._schema.type_map["CalledRelationship"].fields
    assert person["lintasId"].resolve.__qualname__.startswith("_lean")
    assert person["caption"].resolve.__qualname__.startswith("_lean")
    assert rel["sourceId"].resolve.__qualname__.startswith("_lean")
    assert not person["values"].resolve.__qualname__.startswith("_lean")  # arguments and info: wrapped
