"""A gazetteer name is one name however it is written: a bank named without its diacritics is the
bank named with them, and so is the account at it; the marks of other scripts stay part of their
words."""

from __future__ import annotations

import pytest

from graphapi.ingest.identity.accounts import account_key
from graphapi.ingest.identity.gazetteer import gazetteer, name_key

NUMBER = "0011004455667"


@pytest.mark.parametrize(("country", "written", "listed"), [
    # how Vietnamese interbank exports write the banks (attack round 56, F3)
    ("VN", "NGAN HANG TMCP NGOAI THUONG VIET NAM", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    ("VN", "Ngan hang TMCP A Chau", "Ngân hàng TMCP Á Châu"),
    ("VN", "Ngan hang TMCP Quan doi", "Ngân hàng TMCP Quân đội"),
    ("VN", "Vi MoMo", "Ví MoMo"),
    ("LA", "Banque pour le Commerce Exterieur Lao Public", "Banque pour le Commerce Extérieur Lao Public"),
])
def test_an_account_at_a_bank_named_without_its_diacritics_is_the_account_at_that_bank(
        country: str, written: str, listed: str) -> None:
    assert account_key(country, written, NUMBER) == account_key(country, listed, NUMBER)
    assert gazetteer("banks").resolve(written, country) is gazetteer("banks").resolve(listed, country) is not None


def test_a_bank_name_without_diacritics_resolves_to_its_entry() -> None:
    assert account_key("VN", "NGAN HANG TMCP NGOAI THUONG VIET NAM", NUMBER) == f"VN:BFTVVNVX:{NUMBER}"


def test_an_unknown_bank_keys_alike_with_or_without_its_diacritics() -> None:
    assert account_key("VN", "Ngân hàng Hợp tác xã Đồng Tháp", NUMBER) == \
        account_key("VN", "Ngan hang Hop tac xa Dong Thap", NUMBER) == f"VN:NGANHANGHOPTACXADONGTHAP:{NUMBER}"


@pytest.mark.parametrize(("one", "other"), [
    ("ไก่", "ไก"),         # Thai: a tone mark makes another word
    ("ကို", "က"),          # Myanmar: vowel signs are the word's
])
def test_the_marks_of_other_scripts_stay_part_of_the_name(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)
