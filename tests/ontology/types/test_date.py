import datetime as dt

from graphapi.ontology.types import get_type, parse_range, precision

date = get_type("date")


def test_date_clean_ofac_day_month_year():
    assert date.clean("16 Dec 1987") == "1987-12-16"
    assert date.clean("15 Dec 1969") == "1969-12-15"


def test_date_clean_ofac_month_year_keeps_month_precision():
    assert date.clean("Apr 2009") == "2009-04"
    assert date.clean("Mar 2015") == "2015-03"


def test_date_clean_year_only_keeps_year_precision():
    assert date.clean("2022") == "2022"


def test_date_clean_iso_forms():
    assert date.clean("1987-12-16") == "1987-12-16"
    assert date.clean("2009-4") == "2009-04"
    assert date.clean("19871216") == "1987-12-16"
    assert date.clean("1987-12-16T10:00:00Z") == "1987-12-16"


def test_date_clean_numeric_is_day_first_by_default():
    assert date.clean("16/12/1987") == "1987-12-16"
    assert date.clean("03/04/2020") == "2020-04-03"
    assert date.clean("16.12.1987") == "1987-12-16"


def test_date_clean_numeric_month_first_with_hint():
    assert date.clean("03/04/2020", dayfirst=False) == "2020-03-04"


def test_date_clean_numeric_swaps_only_when_preferred_order_is_impossible():
    assert date.clean("12/31/2020") == "2020-12-31"


def test_date_clean_other_english_spellings():
    assert date.clean("December 16, 1987") == "1987-12-16"
    assert date.clean("16-Dec-1987") == "1987-12-16"
    assert date.clean("Sept 2020") == "2020-09"
    assert date.clean("circa 1970") == "1970"
    assert date.clean(dt.date(2021, 9, 7)) == "2021-09-07"


def test_date_clean_leap_days_from_ofac_and_impossible_dates():
    assert date.clean("29 Feb 2024") == "2024-02-29"
    assert date.clean("29 Feb 2008") == "2008-02-29"
    assert date.clean("29 Feb 2023") is None
    assert date.clean("31/04/2020") is None
    assert date.clean("2024-13") is None
    assert date.clean("2022 or so") is None
    assert date.clean("-0-") is None


def test_date_parse_range_ofac_dob_range():
    assert parse_range("01 Jan 1964 to 17 Feb 1964") == ("1964-01-01", "1964-02-17")


def test_date_parse_range_years_with_dash():
    assert parse_range("1960 - 1962") == ("1960", "1962")


def test_date_parse_range_rejects_reversed_and_single_dates():
    assert parse_range("1965 to 1962") is None
    assert parse_range("16 Dec 1987") is None


def test_date_precision_from_length():
    assert precision("2009-04") == "month"
    assert precision("2022") == "year"
    assert precision("1987-12-16") == "day"


def test_date_a_buddhist_era_year_is_refused_naming_the_calendar_to_declare():
    # issue 13 trial: 01/02/2533 (1990 in the Buddhist era) was stored as the year 2533
    assert date.clean("01/02/2533") is None
    assert date.refusal("01/02/2533") == (
        "year 2533 in '01/02/2533' looks like a Buddhist-era year (2533 BE = 1990 CE); if the column writes them, "
        "say hints: {calendar: buddhist} (its spec's, or the mapping's)")


def test_date_with_the_buddhist_calendar_hint_is_read_as_the_common_era_date():
    assert date.clean("01/02/2533", calendar="buddhist") == "1990-02-01"
    assert date.clean("29/02/2563", calendar="buddhist") == "2020-02-29"  # 2563 BE is leap year 2020
    assert date.clean("2569", calendar="buddhist") == "2026"


def test_date_far_future_sentinel_is_no_buddhist_era_year():
    assert date.clean("9999-12-31") == "9999-12-31"


def test_a_common_era_year_with_the_buddhist_calendar_is_no_date_and_says_why() -> None:
    # never moved 543 years back (2024-03-01 was read as 1481-03-01: attack 30b, L1)
    assert get_type("date").clean("2024-03-01", calendar="buddhist") is None
    assert get_type("date").clean("01/03/2024", calendar="buddhist") is None
    assert get_type("date").clean("01/03/2567", calendar="buddhist") == "2024-03-01"
    assert get_type("date").refusal("2024-03-01", calendar="buddhist").startswith(
        "year 2024 in '2024-03-01' is no Buddhist-era year")


def test_an_impossible_buddhist_era_date_is_refused_without_advising_the_declared_calendar() -> None:
    assert get_type("date").clean("2568-02-29", calendar="buddhist") is None
    assert get_type("date").refusal("2568-02-29", calendar="buddhist") == "invalid date value '2568-02-29'"
