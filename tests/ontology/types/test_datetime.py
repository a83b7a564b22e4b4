import datetime as dt

import pytest

from graphapi.ontology.types import get_type
from graphapi.ontology.types.datetime import zone_given

instant = get_type("datetime")


def test_datetime_clean_offset_is_converted_to_utc():
    assert instant.clean("2024-03-01T10:15:00+07:00") == "2024-03-01T03:15:00"


def test_datetime_clean_offset_conversion_crosses_midnight():
    assert instant.clean("2024-03-01T00:30:00+07:00") == "2024-02-29T17:30:00"


def test_datetime_clean_z_suffix_and_naive_are_utc():
    assert instant.clean("2024-03-01T10:15:00Z") == "2024-03-01T10:15:00"
    assert instant.clean("2024-03-01 10:15:00") == "2024-03-01T10:15:00"
    assert instant.clean("2024-03-01T10:15") == "2024-03-01T10:15:00"


def test_datetime_clean_naive_with_zone_hint():
    assert instant.clean("2024-03-01 10:15:00", tz="Asia/Bangkok") == "2024-03-01T03:15:00"
    assert instant.clean("2024-03-01 10:15:00", tz="Nowhere/Atlantis") is None


def test_datetime_clean_basic_format_fractions_and_compact_offset():
    assert instant.clean("20240301T101500Z") == "2024-03-01T10:15:00"
    assert instant.clean("2024-03-01T10:15:00.987654+00:00") == "2024-03-01T10:15:00"
    assert instant.clean("2024-03-01 10:15:00 +0700") == "2024-03-01T03:15:00"


def test_datetime_clean_day_first_partner_format():
    assert instant.clean("01/03/2024 10:15:30") == "2024-03-01T10:15:30"


def test_datetime_clean_epoch_seconds_and_objects():
    assert instant.clean(1709288100) == "2024-03-01T10:15:00"
    bangkok = dt.timezone(dt.timedelta(hours=7))
    assert instant.clean(dt.datetime(2024, 3, 1, 10, 15, tzinfo=bangkok)) == "2024-03-01T03:15:00"


def test_datetime_clean_rejects_dates_and_junk():
    assert instant.clean("2024-03-01") is None
    assert instant.clean("2024-02-30T10:00:00") is None
    assert instant.clean("yesterday") is None
    assert instant.clean(True) is None


def test_datetime_canonical_strings_sort_in_time_order():
    raw = ["2024-03-01T10:15:00+07:00", "2024-03-01T02:00:00Z", "2024-02-29T23:00:00-05:00"]
    cleaned = [instant.clean(v) for v in raw]
    assert sorted(cleaned) == ["2024-03-01T02:00:00", "2024-03-01T03:15:00", "2024-03-01T04:00:00"]


def test_datetime_clean_canonical_utc_text_is_kept_but_still_checked():
    assert instant.clean("2026-03-01T10:15:00") == "2026-03-01T10:15:00"
    assert instant.clean("2026-03-01T10:15:00Z") == "2026-03-01T10:15:00"
    assert instant.clean("2026-03-01T10:15:00+00:00") == "2026-03-01T10:15:00"
    assert instant.clean("2026-02-30T10:15:00") is None
    assert instant.clean("2026-03-01T24:15:00Z") is None
    assert instant.clean("0999-03-01T10:15:00") is None


def test_datetime_clean_canonical_text_with_a_zone_hint_is_converted():
    assert instant.clean("2026-03-01T10:15:00", tz="Asia/Bangkok") == "2026-03-01T03:15:00"


def test_datetime_clean_rejects_an_offset_beyond_fourteen_hours():
    assert instant.clean("2025-01-01T00:00:00+14:01") is None
    assert instant.clean("2025-01-01T00:00:00-14:30") is None
    assert instant.clean("2025-01-01T00:00:00+14:00") == "2024-12-31T10:00:00"


# -- zone_given: does a value say its own zone (else a mapped time records the zone it was read in)?

@pytest.mark.parametrize("day", ["2024-03-01", "01-03-2024", "2024-03", "20240301", "01/03/2024", " 2024-03-01 "])
def test_zone_given_is_false_for_a_date_alone(day):
    # new-user report: "2024-03-01" answered True, its last hyphen read as the offset -01
    assert zone_given(day) is False


@pytest.mark.parametrize("zoned", ["2024-03-01T10:15:00-07:00", "2024-03-01T10:15-0700", "2024-03-01 10:00-07",
                                   "2024-03-01T10:15:00Z", "20240301T101500Z", "2024-03-01 10:15:00 +0700",
                                   "2024-03-01T10Z", "1709262900", "1709262900000"])
def test_zone_given_is_true_for_a_time_with_an_offset_z_or_epoch_time(zoned):
    assert zone_given(zoned) is True


@pytest.mark.parametrize("local", ["2024-03-01T10:15:00", "2024-03-01 10:15", "01/03/2024 10:15",
                                   "2024-03-01T10:15:00.123"])
def test_zone_given_is_false_for_a_local_time(local):
    assert zone_given(local) is False


def test_datetime_a_buddhist_era_year_is_refused_unless_the_calendar_hint_says_so():
    dt_type = get_type("datetime")
    assert dt_type.clean("05/03/2569 08:00") is None
    assert dt_type.clean("2569-03-05T08:00:00") is None
    assert dt_type.refusal("05/03/2569 08:00").startswith("year 2569 in '05/03/2569 08:00' looks like a Buddhist-era")
    assert dt_type.clean("05/03/2569 08:00", calendar="buddhist", tz="Asia/Bangkok") == "2026-03-05T01:00:00"
    assert dt_type.clean("2569-03-05 08:00", calendar="buddhist") == "2026-03-05T08:00:00"


def test_a_common_era_year_with_the_buddhist_calendar_is_no_instant_and_says_why() -> None:
    # never moved 543 years back (attack 30b, L1)
    assert get_type("datetime").clean("2024-03-01T10:00:00", calendar="buddhist") is None
    assert get_type("datetime").clean("01/03/2024 10:00", calendar="buddhist") is None
    assert get_type("datetime").clean("2567-03-01T10:00:00", calendar="buddhist") == "2024-03-01T10:00:00"
    assert get_type("datetime").refusal("2024-03-01T10:00:00", calendar="buddhist").startswith(
        "year 2024 in '2024-03-01T10:00:00' is no Buddhist-era year")
