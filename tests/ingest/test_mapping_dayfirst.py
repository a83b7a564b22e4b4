"""A mapping's ``dayfirst`` hint (docs/mappings.md, "Day or month first"): numeric dates and times
are read day first unless the mapping, or one value spec, says ``dayfirst: false``; a date
impossible in that order is read in the other, a time is not (its row is rejected)."""

from __future__ import annotations

from pathlib import Path

from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

MAPPING = """\
name: card-payments
description: card payments of a US acquirer, dates month first
source: us-acquirer
{hints}
entities:
  payer:
    label: Person
    id: {{template: "payer-{{payer_id}}"}}
    properties:
      name: {{column: payer}}
      birthDate: {{column: born{born_hints}}}
  card:
    label: BankAccount
    properties:
      accountKey: {{template: "US:ACQ:{{card}}"}}
relationships:
  - {{type: HOLDS_ACCOUNT, from: payer, to: card}}
"""


def _read(tmp_path: Path, rows: list[str], hints: str = "", born_hints: str = "") -> list:
    mapping, feed = tmp_path / "payments.yaml", tmp_path / "payments.csv"
    mapping.write_text(MAPPING.format(hints=hints, born_hints=born_hints), encoding="utf-8")
    feed.write_text("\n".join(["payer_id,payer,born,card", *rows]) + "\n", encoding="utf-8")
    return list(MappedCsvReader(load_mapping(mapping), [feed]).records())


def _born(items: list) -> list:
    return [i.properties["birthDate"] for i in items if isinstance(i, NodeRecord) and i.label == "Person"]


def test_numeric_dates_are_read_day_first_by_default(tmp_path: Path) -> None:
    assert _born(_read(tmp_path, ["1,Ann Lee,03/04/1990,4111"])) == [["1990-04-03"]]


def test_a_mapping_that_says_dayfirst_false_reads_its_dates_month_first(tmp_path: Path) -> None:
    items = _read(tmp_path, ["1,Ann Lee,03/04/1990,4111"], hints="hints:\n  dayfirst: false")
    assert _born(items) == [["1990-03-04"]]


def test_one_value_spec_may_say_dayfirst_false_for_its_column_alone(tmp_path: Path) -> None:
    items = _read(tmp_path, ["1,Ann Lee,03/04/1990,4111"], born_hints=", hints: {dayfirst: false}")
    assert _born(items) == [["1990-03-04"]]


def test_a_date_impossible_day_first_is_read_month_first(tmp_path: Path) -> None:
    assert _born(_read(tmp_path, ["1,Ann Lee,12/31/1985,4111"])) == [["1985-12-31"]]


def test_a_time_impossible_in_the_mappings_order_rejects_its_row(tmp_path: Path) -> None:
    mapping, feed = tmp_path / "calls.yaml", tmp_path / "calls.csv"
    mapping.write_text("name: calls\ndescription: t\nsource: t\nhints:\n  tz: UTC\n  dayfirst: false\n"
                       "entities:\n  a: {label: Phone, properties: {number: {column: a}}}\n"
                       "  b: {label: Phone, properties: {number: {column: b}}}\n"
                       "relationships:\n  - {type: CALLED, from: a, to: b, key: \"{a}-{at}\","
                       " properties: {at: {column: at}}}\n", encoding="utf-8")
    feed.write_text("a,b,at\n+66812345678,+85510904499,03/04/2024 10:15\n"
                    "+66812345678,+85510904499,31/03/2024 10:15\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping(mapping), [feed]).records())
    assert [e.properties["at"] for e in items if isinstance(e, EdgeRecord)] == ["2024-03-04T10:15:00"]
    assert [r.line for r in items if isinstance(r, Rejection)] == [3]
