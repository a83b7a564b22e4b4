"""Gender: "male", "female" or "other" (the FollowTheMoney ``gender`` vocabulary).

Accepted spellings, case-insensitive: m/male/man, f/female/woman/w, o/other/x/d/diverse/
non-binary, and the words used in partner data of the region: 男/女 (Chinese), ชาย/หญิง (Thai),
nam/nữ (Vietnamese). "Unknown" and anything else clean to ``None``.
"""

from __future__ import annotations

from typing import Any

from graphapi.ontology.types.base import ValueType, code_text

MALE, FEMALE, OTHER = "male", "female", "other"

SPELLINGS = {
    **dict.fromkeys(("m", "male", "man", "男", "ชาย", "nam"), MALE),
    **dict.fromkeys(("f", "female", "woman", "w", "女", "หญิง", "nữ", "nu"), FEMALE),
    **dict.fromkeys(
        ("o", "other", "x", "d", "diverse", "non-binary", "nonbinary", "non binary"), OTHER
    ),
}


class GenderType(ValueType):
    """A gender; canonical "male", "female" or "other"."""

    name = "gender"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = code_text(value)
        return SPELLINGS.get(text.lower().rstrip(".")) if text else None
