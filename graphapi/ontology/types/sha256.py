"""SHA-256 digests, the key of Document nodes.

Source: FIPS 180-4 (a 256-bit digest, written as 64 hexadecimal digits). Canonical shape: 64
lower-case hex characters; a "sha256:" prefix and surrounding whitespace are dropped.
"""

from __future__ import annotations

import re
from typing import Any

from graphapi.ontology.types.base import ValueType, code_text

_HEX64 = re.compile(r"[0-9a-f]{64}")


class Sha256Type(ValueType):
    """A SHA-256 hex digest."""

    name = "sha256"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = code_text(value)
        if text is None:
            return None
        text = text.lower().removeprefix("sha256:").strip()
        return text if _HEX64.fullmatch(text) else None
