"""The path a request is routed by: :func:`route_path`.

Behind a prefix the ASGI way (``uvicorn --root-path /lintas``), the scope's ``path`` is the full
path (``/lintas/graphql``) and ``root_path`` the prefix; Starlette's router strips the prefix and
serves ``/graphql``. Whatever decides which requests are gated (the security gate,
:class:`graphapi.direct_post.DirectGraphQLPost`) must match the same path, or a prefixed request
reaches the route ungated (attack round 39b, 5).
"""

from __future__ import annotations

from starlette.types import Scope


def route_path(scope: Scope) -> str:
    """``scope["path"]`` without ``scope["root_path"]``, as Starlette's router matches it (its
    ``get_route_path``, a private helper): a path not under the root path is taken as it is."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path") or ""
    if not root_path or not path.startswith(root_path):
        return path
    if path == root_path:
        return ""
    return path[len(root_path):] if path[len(root_path)] == "/" else path
