"""``lintas mapping init`` tries dates and decimal amounts before phones and account numbers
(round a-56, F7): with a country column TH, ``2026-08-17`` also cleans as the Bangkok landline
+6620260817 and ``1932.00`` as the digit groups of an account number; a draft that took them so
made a Phone per day, tying every transfer of a day."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.ingest.mapping.draft import guess_columns

ROWS = [("R1", "0812345678", "1932.00", "2026-08-17", "2026-08-17 10:15"),
        ("R2", "0898765432", "1490.56", "2026-03-14", "2026-03-14 09:00"),
        ("R3", "0861112223", "2500.00", "2026-01-19", "2026-01-19 23:59"),
        ("R4", "0823334445", "7550.50", "2026-07-11", "2026-07-11 00:01"),
        ("R5", "0845556667", "1000.10", "2026-05-12", "2026-05-12 12:30")]


def _guesses(tmp_path: Path) -> dict[str, str | None]:
    path = tmp_path / "feed.csv"
    path.write_text("ref,sender_acct,amount,date,time,country\n"
                    + "".join(",".join(r) + ",TH\n" for r in ROWS), encoding="utf-8")
    return {c.name: c.type for c in guess_columns(path)}


@pytest.mark.parametrize(("column", "expected"), [("date", "date"), ("time", "datetime"), ("amount", "amount")])
def test_a_thai_feeds_dates_and_amounts_are_guessed_as_such(tmp_path: Path, column: str, expected: str) -> None:
    assert _guesses(tmp_path)[column] == expected


def test_an_account_column_is_still_an_account_number(tmp_path: Path) -> None:
    assert _guesses(tmp_path)["sender_acct"] == "accountNumber"
