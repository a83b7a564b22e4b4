"""Role gates for security operations (visibility itself is enforced in Cypher, never here)."""

from __future__ import annotations

from graphapi.errors import Forbidden
from graphapi.security.principal import Principal


def require_role(principal: Principal, *roles: str) -> None:
    """Raise :class:`Forbidden` unless ``principal`` holds one of ``roles``."""
    if not any(principal.has_role(r) for r in roles):
        raise Forbidden(f"this operation needs one of the roles {list(roles)}")


def require_agency(principal: Principal) -> str:
    """The principal's agency; :class:`Forbidden` for a principal without one (e.g. the demo)."""
    if principal.anonymous or not principal.agency:
        raise Forbidden("this operation needs a principal of an agency")
    return principal.agency
