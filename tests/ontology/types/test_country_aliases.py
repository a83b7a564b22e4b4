"""Country names in the region's scripts, official long forms and historic names resolve to their
ISO 3166-1 alpha-2 code through pycountry and the alias table in seed/countries/aliases.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.ontology.types import country as country_module
from graphapi.ontology.types import get_type

COUNTRY = get_type("country")


@pytest.mark.parametrize(("name", "code"), [
    ("Myanmar", "MM"), ("Burma", "MM"), ("Union of Myanmar", "MM"), ("Republic of the Union of Myanmar", "MM"),
    ("พม่า", "MM"), ("เมียนมา", "MM"), ("မြန်မာ", "MM"), ("缅甸", "MM"),
    ("Kampuchea", "KH"), ("Democratic Kampuchea", "KH"), ("กัมพูชา", "KH"), ("កម្ពុជា", "KH"), ("Campuchia", "KH"),
    ("Lao PDR", "LA"), ("Lào", "LA"), ("ລາວ", "LA"), ("老挝", "LA"),
    ("ประเทศไทย", "TH"), ("Thái Lan", "TH"), ("ထိုင်း", "TH"), ("Siam", "TH"),
    ("Korea, South", "KR"), ("BVI", "VG"),
])
def test_a_country_name_in_any_form_or_script_is_its_iso_code(name: str, code: str) -> None:
    assert COUNTRY.clean(name) == code


def test_two_letter_codes_stay_countries_not_words() -> None:
    assert (COUNTRY.clean("NA"), COUNTRY.clean("NO"), COUNTRY.clean("no")) == ("NA", "NO", "NO")


def test_a_deployment_adds_its_own_country_names_without_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "aliases.yaml"
    extra.write_text("MM: [Myanma Naingngandaw]\nKH: [Srok Khmer]\n", encoding="utf-8")
    monkeypatch.setenv("LINTAS_COUNTRY_ALIASES", str(extra))
    country_module._index.cache_clear()
    country_module._script_index.cache_clear()
    try:
        assert (COUNTRY.clean("Myanma Naingngandaw"), COUNTRY.clean("srok khmer")) == ("MM", "KH")
    finally:
        monkeypatch.delenv("LINTAS_COUNTRY_ALIASES")
        country_module._index.cache_clear()
        country_module._script_index.cache_clear()
    assert COUNTRY.clean("Srok Khmer") is None
