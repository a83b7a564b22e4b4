"""The schema extensions' hooks, worked out once per set of extension classes, not per request.

strawberry builds four hook managers per operation (operation, parse, validate, execute) and,
for each, asks every extension whether it overrides that hook and whether the hook is a
generator (``inspect.isgeneratorfunction``), wrapping each one found in a new
``contextlib.contextmanager``. With our nine extensions that was 36 look-ups and 11 new wrappers
per request, ~70 µs of a point lookup's ~2 ms (issue 14). The answer depends only on the classes,
so :class:`PlannedExtensionsRunner` keeps it per tuple of classes and gives each request's
managers the same hooks, in the same order, bound to that request's extension instances.

A hook strawberry would wrap some other way (a plain function or coroutine) makes the whole
stage fall back to strawberry's own manager, as does a strawberry whose managers are not built
the way this module expects (``tests/schema/test_extension_hooks.py`` compares the two).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    ExtensionContextManagerBase,
    OperationContextManager,
    ParsingContextManager,
    ValidationContextManager,
    WrappedHook,
)
from strawberry.extensions.runner import SchemaExtensionsRunner

#: (extension's index, context-manager factory taking the extension, async?) per overridden hook
Plan = tuple[tuple[int, Callable[[SchemaExtension], Any], bool], ...]

#: The managers hold their hooks as this module fills them in (strawberry 0.2xx-0.34x).
COMPATIBLE = ({"hooks", "default_hook"} <= set(getattr(ExtensionContextManagerBase, "__slots__", ()))
              and WrappedHook._fields == ("extension", "hook", "is_async"))


@functools.cache
def _plan(manager: type[ExtensionContextManagerBase], classes: tuple[type, ...]) -> Plan | None:
    """The hooks ``manager``'s stage runs for extensions of ``classes``; None: leave it to strawberry."""
    name = manager.HOOK_NAME
    default = getattr(SchemaExtension, name)
    plan = []
    for index, cls in enumerate(classes):
        hook = getattr(cls, name)
        if hook is default:
            continue
        if inspect.isgeneratorfunction(hook):
            plan.append((index, contextlib.contextmanager(hook), False))
        elif inspect.isasyncgenfunction(hook):
            plan.append((index, contextlib.asynccontextmanager(hook), True))
        else:
            return None
    return tuple(plan)


def planned(manager: type[ExtensionContextManagerBase], extensions: Sequence[SchemaExtension]
            ) -> ExtensionContextManagerBase:
    """``manager(extensions)`` as strawberry builds it, from the plan of the extensions' classes."""
    plan = _plan(manager, tuple(type(e) for e in extensions)) if COMPATIBLE else None
    if plan is None:
        return manager(list(extensions))
    built = manager.__new__(manager)
    built.default_hook = getattr(SchemaExtension, manager.HOOK_NAME)
    built.hooks = [WrappedHook(extension=extensions[i], hook=functools.partial(make, extensions[i]), is_async=is_async)
                   for i, make, is_async in plan]
    return built


class PlannedExtensionsRunner(SchemaExtensionsRunner):
    """strawberry's runner whose hook managers come from :func:`planned`."""

    def operation(self) -> OperationContextManager:
        return planned(OperationContextManager, self.extensions)  # type: ignore[return-value]

    def validation(self) -> ValidationContextManager:
        return planned(ValidationContextManager, self.extensions)  # type: ignore[return-value]

    def parsing(self) -> ParsingContextManager:
        return planned(ParsingContextManager, self.extensions)  # type: ignore[return-value]

    def executing(self) -> ExecutingContextManager:
        return planned(ExecutingContextManager, self.extensions)  # type: ignore[return-value]
