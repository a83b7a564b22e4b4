from graphapi.ontology.types import get_type, line_type, numbers_in, region

phone = get_type("phone")


def test_phone_clean_thai_national_format_to_e164():
    assert phone.clean("081 234 5678", country="TH") == "+66812345678"


def test_phone_clean_plus_international_format():
    assert phone.clean("+66 81 234 5678") == "+66812345678"


def test_phone_clean_00_international_prefix():
    assert phone.clean("0066812345678") == "+66812345678"


def test_phone_clean_00_prefix_wins_over_region_hint():
    assert phone.clean("00 66 81 234 5678", country="KH") == "+66812345678"


def test_phone_clean_region_hint_may_be_a_country_name():
    assert phone.clean("012 345 678", country="Cambodia") == "+85512345678"


def test_phone_clean_tries_each_region_hint():
    assert phone.clean("081 234 5678", country=["KH", "TH"]) == "+66812345678"


def test_phone_clean_national_number_without_hint_is_rejected():
    assert phone.clean("081 234 5678") is None


def test_phone_clean_rejects_impossible_numbers():
    assert phone.clean("12345", country="TH") is None
    assert phone.clean("+66 1") is None
    assert phone.clean("not a phone") is None
    assert phone.clean(None) is None


def test_phone_variants_cover_common_typed_forms():
    assert phone.variants("+66812345678") == [
        "0812345678", "66812345678", "081 234 5678", "+66 81 234 5678",
    ]


def test_phone_line_type_mobile_and_fixed_line():
    assert line_type("+66812345678") == "mobile"
    assert line_type("+6621234567") == "fixed_line"
    assert line_type("garbage") == "unknown"


def test_phone_region_resolves_shared_country_code():
    assert region("+66812345678") == "TH"
    assert region("+14165550123") == "CA"
    assert region("+12024561111") == "US"
    assert region("nope") is None


def test_phone_variants_of_a_number_just_cleaned_are_those_of_its_e164_alone():
    # clean() remembers the number it parsed, so variants() need not parse the E.164 again
    from graphapi.ontology.types import phone as phone_module

    for raw, hint in [("081 234 5678", "TH"), ("+39 06 1234 5678", None), ("081 234 5678 ext. 12", "TH")]:
        e164 = phone.clean(raw, country=hint)
        remembered = phone.variants(e164)
        phone_module._PARSED.clear()
        assert phone.variants(e164) == remembered, raw


def test_numbers_in_reads_each_number_one_value_holds_in_order() -> None:
    text = "+7 (3412) 43-05-05; +7 (951) 210-81-28; +7 (912) 769-33-11"  # yente zala, LLC CST
    assert numbers_in(text, "RU") == ["+73412430505", "+79512108128", "+79127693311"]


def test_numbers_in_reads_national_numbers_only_with_a_region() -> None:
    assert numbers_in("081 234 5678 / 081 234 5678", ["TH"]) == ["+66812345678"]
    assert numbers_in("081 234 5678 / 02 123 4567") == []


def test_numbers_in_a_value_longer_than_its_bound_are_not_looked_for():
    # attack round 39a, 2: 99 KB of digit groups took the matcher ~1.8 s per region hint
    text = "+7 (951) 210-81-28; " + "12 " * 33_000
    assert numbers_in(text, ["ru", "us", "de", "fr", "gb"]) == []


def test_numbers_in_tries_the_first_three_distinct_hints_only(monkeypatch):
    import phonenumbers

    tried = []
    real = phonenumbers.PhoneNumberMatcher

    def matcher(text, region, *args, **kwargs):
        tried.append(region)
        return real(text, region, *args, **kwargs)

    monkeypatch.setattr(phonenumbers, "PhoneNumberMatcher", matcher)
    assert numbers_in("no number here; none", ["ru", "ru", "us", "de", "th", "fr"]) == []
    assert tried == ["RU", "US", "DE"]
