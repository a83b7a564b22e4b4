"""Who is asking: the principal every service call carries (DESIGN.md security model).

Visibility is not decided here: statements receive ``$agency`` from :meth:`Principal.cypher_params`
and the ``visible`` fragment in ``cypher/fragments/`` decides inside the query.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Roles a principal may hold (DESIGN.md).
ROLES = ("analyst", "supervisor", "loader", "auditor", "admin", "victim-data")


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: ``subject`` (user or key id), ``agency`` id, ISO ``country``, roles."""

    subject: str
    agency: str | None = None
    country: str | None = None
    roles: frozenset[str] = frozenset()
    anonymous: bool = False

    def has_role(self, role: str) -> bool:
        """True if the principal holds ``role``."""
        return role in self.roles

    def cypher_params(self) -> dict[str, str | None]:
        """The parameters the visibility fragment needs: ``{"agency": agency id or None}``."""
        return {"agency": self.agency}


#: The principal of ``lintas demo`` (anonymous access, demo mode only): sees CLEAR and GREEN.
DEMO_PRINCIPAL = Principal(subject="demo", agency=None, roles=frozenset({"analyst"}), anonymous=True)
