"""The rate table behind moneyTrail's approximate USD amounts (seed/rates)."""

import pytest

from graphapi.investigate import rates
from graphapi.investigate.rates import SHIPPED, RateTableError, read_table
from graphapi.settings import get_settings

#: The currencies of the region's transfers that issue 15 asks a rate for.
REGION = ("THB", "KHR", "LAK", "MMK", "VND", "CNY", "MYR", "PHP", "SGD", "IDR", "USD", "EUR", "USDT")


def _table(tmp_path, text):
    path = tmp_path / "rates.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_table_has_a_dated_sourced_rate_for_every_currency_of_the_region():
    table = read_table(SHIPPED)
    assert table.currency == "USD" and sorted(table.rates) == sorted(REGION)
    assert {r.as_of for r in table.rates.values()} == {"2024-12-31"}
    assert all(r.source for r in table.rates.values())
    assert (table.rates["USD"].per_unit, table.rates["USDT"].per_unit) == (1, 1)


def test_rate_table_converts_by_units_per_usd_to_cents():
    table = read_table(SHIPPED)
    assert table.convert(1_000_000, "VND")[0] == round(1_000_000 / table.rates["VND"].per_unit, 2)
    assert table.convert(None, "VND") is None and table.convert(10, None) is None


def test_an_amount_whose_usd_value_is_past_a_float_has_no_approximate_value():
    # attack round 11, M2: 1.79e308 EUR became inf USD and broke every reader's moneyTrail
    table = read_table(SHIPPED)
    assert table.convert(1.79e308, "EUR") is None
    assert table.convert(1e308, "USD")[0] == 1e308


def test_rate_table_has_no_rate_for_a_currency_it_does_not_list():
    assert read_table(SHIPPED).convert(100, "TRX") is None


def test_rate_table_reads_currency_spellings_as_the_ontology_does(tmp_path):
    table = read_table(_table(tmp_path, 'asOf: "2025-01-02"\ncurrency: usd\nrates:\n  baht: {perUsd: 33.5}\n'))
    assert table.convert(67, "THB")[0] == 2.0 and table.rates["THB"].as_of == "2025-01-02"


@pytest.mark.parametrize(("text", "says"), [
    ('asOf: "2025-01-02"\ncurrency: USD\nrates:\n  THB: {perUsd: 0}\n', "positive perUsd"),
    ('asOf: "2025-01-02"\ncurrency: USD\nrates:\n  doubloons: {perUsd: 2}\n', "no ISO 4217 code"),
    ('asOf: "2025-01-02"\ncurrency: EUR\nrates:\n  THB: {perUsd: 36}\n', "currency must be USD"),
    ('currency: USD\nrates:\n  THB: {perUsd: 34}\n', "no asOf date"),
    ("rates: [THB]\n", "a mapping"),
])
def test_rate_table_refuses_a_malformed_file_naming_it(tmp_path, text, says):
    path = _table(tmp_path, text)
    with pytest.raises(RateTableError, match=says) as refused:
        read_table(path)
    assert str(path) in str(refused.value)


def test_rates_file_setting_names_the_table_the_process_reads(tmp_path, monkeypatch):
    path = _table(tmp_path, 'asOf: "2025-06-30"\ncurrency: USD\nrates:\n  VND: {perUsd: 25000}\n')
    monkeypatch.setenv("LINTAS_RATES_FILE", str(path))
    get_settings.cache_clear()
    rates.rate_table.cache_clear()
    try:
        assert rates.rate_table().convert(50_000_000, "VND") == (2_000.0, rates.Rate(25_000.0, "2025-06-30", ""))
    finally:
        monkeypatch.delenv("LINTAS_RATES_FILE")
        get_settings.cache_clear()
        rates.rate_table.cache_clear()
