from graphapi.ontology.types import enclosing, get_type, split_range

date_range = get_type("dateRange")


def test_date_range_ofac_dob_range_becomes_an_iso_8601_interval():
    assert date_range.clean("01 Jan 1964 to 17 Feb 1964") == "1964-01-01/1964-02-17"


def test_date_range_iso_interval_is_kept_with_each_ends_precision():
    assert date_range.clean("1964-01-01/1964-02-17") == "1964-01-01/1964-02-17"
    assert date_range.clean("1960/1965-03") == "1960/1965-03"


def test_date_range_that_runs_backwards_or_is_one_date_is_refused():
    assert date_range.clean("17 Feb 1964 to 01 Jan 1964") is None
    assert date_range.clean("16 Dec 1987") is None
    assert date_range.clean("16/12/1987") is None
    assert date_range.clean("") is None


def test_date_range_split_gives_its_ends():
    assert split_range("01 Jan 1964 to 17 Feb 1964") == ("1964-01-01", "1964-02-17")


def test_date_range_enclosing_date_is_the_parts_both_ends_share():
    assert enclosing("1964-01-01", "1964-02-17") == "1964"
    assert enclosing("1964-01-01", "1964-01-31") == "1964-01"
    assert enclosing("1960", "1965") is None
