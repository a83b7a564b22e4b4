"""Business Identifier Codes (SWIFT/BIC), via ``schwifty``.

Source: ISO 9362: 4-letter party prefix (institution), 2-letter ISO 3166-1 country, 2-character
location, optional 3-character branch. Branch "XXX" designates the primary office, so an 11-char
BIC ending in "XXX" is the same party as its 8-char form; canonical shape is upper-case, 8
characters for the primary office ("PINCKHPPXXX" -> "PINCKHPP"), 11 for a branch
("DEUTDEFF500").
"""

from __future__ import annotations

from typing import Any

from schwifty import BIC
from schwifty.exceptions import SchwiftyException

from graphapi.ontology.types.base import ValueType, code_text, distinct


def parse(value: Any) -> BIC | None:
    """Parse ``value`` (spaces allowed, any case) into a structurally valid BIC, else ``None``."""
    text = code_text(value)
    if text is None:
        return None
    text = text.upper().replace(" ", "")
    if len(text) not in (8, 11):
        return None
    try:
        return BIC(text)
    except (SchwiftyException, ValueError):
        return None


class BicType(ValueType):
    """A BIC; canonical 8 characters (primary office) or 11 (branch)."""

    name = "bic"

    def clean(self, value: Any, **hints: Any) -> str | None:
        parsed = parse(value)
        if parsed is None:
            return None
        code = parsed.compact
        return code[:8] if code.endswith("XXX") else code

    def variants(self, canonical: Any) -> list[str]:
        """Return the 11-character primary-office form ("PINCKHPP" -> "PINCKHPPXXX")."""
        code = self.clean(canonical)
        if code is None or len(code) != 8:
            return []
        return distinct(canonical, [code + "XXX"])
