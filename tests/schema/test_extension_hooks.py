"""The extensions' hooks, looked up once per set of classes (issue 14), are the ones strawberry
would run, in its order, bound to each request's own extension instances."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    OperationContextManager,
    ParsingContextManager,
    ValidationContextManager,
)

from graphapi.schema.extension_hooks import COMPATIBLE, PlannedExtensionsRunner, planned
from graphapi.schema.schema import schema

STAGES = (OperationContextManager, ParsingContextManager, ValidationContextManager, ExecutingContextManager)


def _hooks(manager) -> list[tuple[object, bool]]:
    return [(hook.extension, hook.is_async) for hook in manager.hooks]


def test_this_strawberry_builds_hook_managers_as_the_plan_expects():
    assert COMPATIBLE


@pytest.mark.parametrize("stage", STAGES, ids=lambda m: m.HOOK_NAME)
def test_planned_hooks_are_strawberrys_for_the_lintas_extensions(stage):
    extensions = schema.get_extensions()
    assert _hooks(planned(stage, extensions)) == _hooks(stage(extensions))


def test_planned_hooks_are_bound_to_each_requests_own_extensions():
    first, second = schema.get_extensions(), schema.get_extensions()
    ran = [hook.extension for hook in planned(OperationContextManager, second).hooks]
    assert ran and all(any(e is x for x in second) for e in ran) and not any(e is x for e in ran for x in first)


@strawberry.type
class _Query:
    @strawberry.field
    def hello(self) -> str:
        return "hi"


class _Recorded(SchemaExtension):
    seen: list[str] = []

    def on_operation(self) -> Iterator[None]:
        self.seen.append("operation start")
        yield
        self.seen.append("operation end")

    def on_execute(self) -> None:  # a plain function: strawberry's own manager runs it
        self.seen.append("execute")


def test_a_plain_function_hook_runs_through_strawberrys_own_manager():
    _Recorded.seen = []
    assert planned(ExecutingContextManager, [_Recorded()]).__class__ is ExecutingContextManager
    small = strawberry.Schema(query=_Query, extensions=[_Recorded])
    small.create_extensions_runner = lambda ctx, exts: PlannedExtensionsRunner(execution_context=ctx, extensions=exts)
    assert small.execute_sync("{ hello }").data == {"hello": "hi"}
    assert _Recorded.seen == ["operation start", "execute", "operation end"]
