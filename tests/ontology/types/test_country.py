import pytest

from graphapi.ontology.types import country_name, get_type

country = get_type("country")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Burma", "MM"), ("Myanmar", "MM"), ("MMR", "MM"), ("mm", "MM"),
        ("Laos", "LA"), ("Lao People's Democratic Republic", "LA"),
        ("Lao People\u2019s Democratic Republic", "LA"),
        ("Vietnam", "VN"), ("Viet Nam", "VN"),
        ("Korea, South", "KR"), ("South Korea", "KR"), ("Republic of Korea", "KR"),
        ("Korea, North", "KP"), ("Taiwan", "TW"), ("Hong Kong", "HK"), ("Macau", "MO"),
        ("Macao", "MO"), ("British Virgin Islands", "VG"), ("Virgin Islands, British", "VG"),
        ("Cayman Islands", "KY"), ("Palau", "PW"), ("Russia", "RU"), ("Iran", "IR"),
        ("United Kingdom", "GB"), ("UK", "GB"), ("United States", "US"), ("USA", "US"),
        ("Cambodia", "KH"), ("Saint Kitts and Nevis", "KN"), ("Bahamas, The", "BS"),
        ("C\u00d4TE D\u2019IVOIRE", "CI"), ("  cayman   islands ", "KY"), ("Kosovo", "XK"),
    ],
)
def test_country_clean_names_and_codes_from_sanctions_data(raw, code):
    assert country.clean(raw) == code


def test_country_clean_rejects_unknown_names():
    assert country.clean("Atlantis") is None
    assert country.clean("the") is None
    assert country.clean("") is None


def test_country_name_gives_common_english_name():
    assert country_name("MM") == "Myanmar"
    assert country_name("la") == "Laos"
    assert country_name("VG") == "British Virgin Islands"
    assert country_name("ZZ") is None


def test_country_clean_every_country_in_the_ofac_sea_subset():
    # distinct address countries and nationalities of /work/shared/data/ofac (SDN + ADD files)
    found = {
        "Burma": "MM", "Cambodia": "KH", "Cayman Islands": "KY", "China": "CN", "Cyprus": "CY",
        "Hong Kong": "HK", "Laos": "LA", "Palau": "PW", "Philippines": "PH",
        "Saint Kitts and Nevis": "KN", "Singapore": "SG", "Taiwan": "TW", "Thailand": "TH",
        "United Kingdom": "GB", "Vanuatu": "VU", "Virgin Islands, British": "VG",
    }
    assert {raw: country.clean(raw) for raw in found} == found
