"""Whether two reports' times of a transfer agree: at the coarser of their precisions
(``graphapi.investigate.report_times``)."""

from graphapi.investigate.report_times import DAY, FRACTION, MINUTE, SECOND, at_precision, same_time


def test_a_time_whose_seconds_are_zero_is_read_as_one_reported_to_the_minute():
    assert [at_precision(a) for a in ("2024-03-01T10:15:00", "2024-03-01T10:15:42", "2024-03-01T10:15:42.250")] == [
        MINUTE, SECOND, FRACTION]


def test_a_time_to_the_minute_agrees_with_every_second_of_that_minute():
    assert same_time("2024-03-01T10:15:00", "2024-03-01T10:15:42")
    assert same_time("2024-03-01T10:15:59", "2024-03-01T10:15:00")


def test_a_time_to_the_minute_disagrees_with_a_second_of_another_minute():
    assert not same_time("2024-03-01T10:15:00", "2024-03-01T10:16:05")


def test_times_to_the_second_agree_only_when_equal():
    assert not same_time("2024-03-01T10:15:42", "2024-03-01T10:15:43")
    assert same_time("2024-03-01T10:15:42.000", "2024-03-01T10:15:42")


def test_a_fraction_of_a_second_agrees_with_its_whole_second():
    assert same_time("2024-03-01T10:15:42.250", "2024-03-01T10:15:42")
    assert not same_time("2024-03-01T10:15:42.250", "2024-03-01T10:15:42.750")


def test_a_date_agrees_with_every_time_of_its_day_only():
    assert at_precision("2024-11-05") == DAY
    assert (same_time("2024-11-05", "2024-11-05T23:59:59Z"), same_time("2024-11-05", "2024-11-06T00:00:00Z")) == (
        True, False)
