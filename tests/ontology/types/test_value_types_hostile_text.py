"""No value type raises on hostile text: huge digit runs in every position, overflowing
exponents, unicode digits. ``clean`` gives a value or ``None``, and ``refusal`` a reason, so a bad
value rejects its row and never crashes a load or answers INTERNAL (attack 30b, H4)."""

from __future__ import annotations

import pytest

from graphapi.ontology.types.quantity import DurationType
from graphapi.ontology.types.registry import TYPES

NINES = "9" * 310
HUGE = "9" * 5000  # past Python's 4,300-digit int conversion limit

HOSTILE = [
    NINES, HUGE, f"-{NINES}", f"{NINES}.5", f"0.{NINES}", f"{NINES}e5", "1e309", "-1e309", "1e-400",
    "1e99999999999", "inf", "nan", "-0", f"{NINES}:00:00", f"{HUGE}:00:00", f"00:{NINES}", f"1:00:{NINES}",
    f"-{NINES}:00:00", f"P{NINES}D", f"PT{NINES}H", f"P{HUGE}DT{HUGE}H{HUGE}M{HUGE}S", f"PT{NINES}.5S",
    f"{NINES}-01-01", f"2024-{NINES}-01", f"2024-01-{NINES}", f"{HUGE}-01-01", f"2024-01-01T{NINES}:00:00",
    f"2024-01-01T10:00:00+{NINES}:00", f"{NINES}/01/2024", f"01/01/{NINES}", f"{NINES}--{NINES}",
    f"+{NINES}", f"+66{HUGE}", f"{NINES},{NINES}.{NINES}", "1,234,567" * 100, f"{NINES} THB", f"THB {HUGE}",
    "١٢٣", "١٢:٣٠:٠٠", "٢٠٢٤-٠١-٠١", "๒๕๖๗-๐๑-๐๑", "１２３", "𝟗" * 400, "⁹⁹⁹", "½", "Ⅻ", "\u0f33",
    f"{'၉' * 400}", f"{NINES}%", "0x" + "f" * 400, "0b" + "1" * 5000, "1_000" * 200,
]


#: hints some types read (a phone's country, a date's day order and calendar); the rest ignore them
HINTS = [{}, {"country": "TH", "dayfirst": True, "calendar": "buddhist"}, {"dayfirst": False, "calendar": "gregorian"}]
NUMBERS = [10**400, -(10**400), float("inf"), float("-inf"), float("nan"), 1e308, -1e308]


@pytest.mark.parametrize("name", sorted(TYPES))
def test_no_value_type_raises_on_hostile_text(name: str) -> None:
    kind = TYPES[name]
    for value in [*HOSTILE, *NUMBERS]:
        for hints in HINTS:
            if kind.clean(value, **hints) is None:
                assert isinstance(kind.refusal(value), str), (name, str(value)[:40], hints)


def test_a_clock_duration_with_a_huge_hour_is_refused_as_out_of_range() -> None:
    assert DurationType().clean(f"{NINES}:00:00") is None
    assert DurationType().refusal(f"{NINES}:00:00") == f"duration {NINES + ':00:00'!r} out of range"
