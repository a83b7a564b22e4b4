"""A load whose identifier is quarantined names it, and each row whose link became text instead of
a relationship, in its reject report (u-user52, 2: 60 people sharing one phone made ``quarantined
1`` and an empty report; graphapi/ingest/quarantine_notes.py)."""

from __future__ import annotations

import json

import pytest
from phone_holders import LIMIT, PHONE, PhoneHolders, load_holders

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance

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
