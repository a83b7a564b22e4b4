"""A load whose identifier is quarantined names it, and each row whose link became text instead of
a relationship, in its reject report (u-user52, 2: 60 people sharing one phone made ``quarantined
1`` and an empty report; graphapi/ingest/quarantine_notes.py)."""

from __future__ import annotations

import json

import pytest
from phone_holders import LIMIT, PHONE, PhoneHolders, load_holders

from graphapi.ingest import quarantine_notes
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin

pytestmark = pytest.mark.backends
TH = Provenance(owner="TH-DSI", tlp="GREEN")
REASON = f"Phone:+66811111111 is quarantined: linked to more than {LIMIT} holders, until an analyst's review " \
         "(reviewQuarantine)"


def _people(n: int, prefix: str = "per-q") -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(n)]


async def _load(store, people, tmp_path, src="q"):
    report = tmp_path / f"{src}-rejects.jsonl"
    summary = await run_load(store, PhoneHolders(people, src), source=src, provenance=TH, viewer="TH-DSI",
                             correlation_limit=LIMIT, reject_report=report)
    return summary, [json.loads(line) for line in report.read_text().splitlines()]


async def test_the_guards_quarantine_names_the_identifier_and_each_row_made_text(empty_store, tmp_path):
    summary, lines = await _load(empty_store, _people(LIMIT + 3), tmp_path)
    assert (summary.quarantined, summary.relationships_created, summary.warnings) == (1, LIMIT, 3)
    ident, *rows = lines
    assert ident == {"file": "", "line": 0, "raw": {"id": PHONE}, "warning": True, "count": 0,
                     "reason": f"Phone:+66811111111 ({PHONE}) is quarantined: linked to more than {LIMIT} holders, "
                               "until an analyst's review (reviewQuarantine): the links written before stay, its "
                               "further links are kept as text on their holders"}
    assert [(r["file"], r["line"], r["reason"], r["raw"]["start"]) for r in rows] == [
        ("q.csv", line, f"USES_PHONE to Phone:+66811111111 kept as text on per-q{line - 2:02d}, not linked: {REASON}",
         f"per-q{line - 2:02d}") for line in (LIMIT + 2, LIMIT + 3, LIMIT + 4)]


async def test_a_later_loads_links_to_a_quarantined_identifier_are_named_row_by_row(empty_store, tmp_path):
    await load_holders(empty_store, _people(LIMIT + 1), "first", "TH-DSI", "GREEN")
    summary, lines = await _load(empty_store, _people(2, "per-late"), tmp_path, src="late")
    assert (summary.quarantined, summary.relationships_created, summary.warnings) == (1, 0, 2)
    assert [(r["line"], r["raw"]["start"]) for r in lines[1:]] == [(2, "per-late00"), (3, "per-late01")]
    assert all(r["reason"].endswith(REASON) for r in lines[1:])


async def test_a_load_under_the_limit_names_no_quarantine(empty_store, tmp_path):
    summary, lines = await _load(empty_store, _people(LIMIT), tmp_path)
    assert (summary.quarantined, summary.warnings, lines) == (0, 0, [])


class _TwoPhones:
    """People who each use the phone and a second one: a row with two links to identifiers."""

    OTHER = "phone:+66833333333"

    def __init__(self, people: list[str], src: str) -> None:
        self.people, self.src = people, src
        self.stats = ReadStats(rows=len(people))

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            o = Origin(self.src, f"{self.src}.csv", i)
            yield NodeRecord("Person", pid, {"name": pid}, o)
            for phone in (PHONE, self.OTHER):
                yield NodeRecord("Phone", phone, {"number": phone[6:]}, o)
                yield EdgeRecord("USES_PHONE", f"uses-{pid}-{phone}", pid, phone, {}, o)


async def test_a_row_with_two_links_made_text_is_one_warning(empty_store, tmp_path):
    report = tmp_path / "two-rejects.jsonl"
    summary = await run_load(empty_store, _TwoPhones(_people(LIMIT + 3), "two"), source="two", provenance=TH,
                             viewer="TH-DSI", correlation_limit=LIMIT, reject_report=report)
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    rows = [r for r in lines if r["line"]]
    assert (summary.quarantined, summary.warnings, len(rows)) == (2, 3, 6)  # docs/mappings.md: rows
    assert sorted(r.get("count", 1) for r in rows) == [0, 0, 0, 1, 1, 1]


async def test_rows_listed_per_identifier_and_file_are_capped_once_for_the_guard_and_the_writer(
        empty_store, tmp_path, monkeypatch):
    monkeypatch.setattr(quarantine_notes, "LISTED", 3)
    await load_holders(empty_store, _people(LIMIT + 1), "first", "TH-DSI", "GREEN")  # quarantined, stored
    # the writer diverts the links before the guard's limit, the guard those after it
    summary, lines = await _load(empty_store, _people(LIMIT + 4, "per-late"), tmp_path, src="late")
    listed = [r for r in lines if r["reason"].startswith("USES_PHONE to")]
    [closing] = [r for r in lines if "more links" in r["reason"]]
    assert (len(listed), closing["count"], summary.warnings) == (3, LIMIT + 1, LIMIT + 4)
