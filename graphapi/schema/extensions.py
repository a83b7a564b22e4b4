"""Schema extensions: public error codes and masking.

Every error leaves with ``extensions.code`` and ``extensions.requestId``:
- Lintas errors and lower-layer errors in ``graphapi.errors.ERROR_TABLE`` keep (or get) their
  public message and code: ``NOT_FOUND``, ``BAD_USER_INPUT``, ``SERVICE_UNAVAILABLE``, ``FORBIDDEN``.
- Anything else is a bug: the client sees ``internal error`` with code ``INTERNAL``; the server
  logs the exception with its stack and the request id.
- Errors GraphQL itself raises before execution keep their message, with code
  ``GRAPHQL_PARSE_FAILED`` or ``GRAPHQL_VALIDATION_FAILED`` (Apollo's names).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graphapi.errors import public_error

log = logging.getLogger("graphapi.graphql")


def _root_cause(error: GraphQLError) -> BaseException | None:
    original: BaseException | None = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    return original


def public_graphql_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """The error as a client may see it (see the module docstring); logs internal ones."""
    original = _root_cause(error)
    extensions: dict[str, object] = {}
    if original is None or isinstance(original, GraphQLError):
        code = "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else "GRAPHQL_VALIDATION_FAILED"
        message = error.message
        limit = (error.extensions or {}).get("limit")
        if limit is not None:  # one of the server's limits (document_limits.limit_error): which, and its value
            extensions = {"limit": limit, "max": error.extensions["max"]}
    else:
        code, message = public_error(original)
        if code == "INTERNAL":
            log.error("internal error (request %s) at %s", request_id, error.path, exc_info=original)
        else:
            log.info("%s (request %s) at %s: %s", code, request_id, error.path, message)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={"code": code, "requestId": request_id, **extensions},
    )


class PublicErrors(SchemaExtension):
    """Rewrite every error of the result with :func:`public_graphql_error` after the operation."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        request_id = getattr(self.execution_context.context, "request_id", None) or "-"
        result.errors = [public_graphql_error(e, request_id) for e in errors]
