"""Security: principals, visibility, redaction, audit."""

from graphapi.security.principal import DEMO_PRINCIPAL, ROLES, Principal

__all__ = ["DEMO_PRINCIPAL", "ROLES", "Principal"]
