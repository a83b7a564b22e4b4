"""A load names each conflict it recorded (new-user report 51: ``conflicts: 1``, and neither the
summary nor the reject report said which node, property or values): a reject-report line per
conflict with the item's id, the property, the value that stays and the one that disagreed with
their sources, and the file and line of the record that brought it; at most
:data:`~graphapi.ingest.conflict_notes.MAX_CONFLICT_NOTES` of them, then a count of the rest."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from ingest_helpers import ftm_file
from rich.console import Console

from graphapi.ingest import cli_summary, conflict_notes
from graphapi.ingest.conflict_notes import ConflictNote, new_conflicts
from graphapi.ingest.load_summary import LoadSummary
from graphapi.ingest.merge import conflict_entry
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import Origin
from graphapi.ingest.writer import Provenance

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")


def _person(pid: str, gender: str) -> dict:
    return {"id": pid, "schema": "Person", "properties": {"name": ["Anna Lee"], "gender": [gender]}}


async def _load(store, tmp_path: Path, source: str, *docs: dict) -> tuple[LoadSummary, list[dict]]:
    path = ftm_file(tmp_path, *docs, name=f"{source}.ftm.json")
    report = tmp_path / f"{source}.rejects.jsonl"
    summary = await run_load(store, FtmReader([path], source=source), source=source, provenance=PROV,
                             reject_report=report)
    return summary, [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]


@pytest.mark.backends
@pytest.mark.asyncio(loop_scope="session")
async def test_a_nodes_conflict_is_named_with_both_values_their_sources_and_the_records_line(
        empty_store, tmp_path: Path) -> None:
    await _load(empty_store, tmp_path, "registry-a", _person("p-1", "female"))
    summary, report = await _load(empty_store, tmp_path, "registry-b", _person("p-0", "male"), _person("p-1", "male"))
    assert summary.conflicts == 1
    assert report == [{
        "file": "registry-b.ftm.json", "line": 2, "raw": None,
        "reason": 'conflict: node p-1 gender keeps "female" (registry-a); "male" (registry-b) disagrees, kept in its '
                  "conflicts",
        "conflict": {"kind": "node", "id": "p-1", "property": "gender", "kept": "female", "keptSources": ["registry-a"],
                     "value": "male", "sources": ["registry-b"]}}]


@pytest.mark.backends
@pytest.mark.asyncio(loop_scope="session")
async def test_two_records_of_one_file_that_disagree_name_the_later_ones_line(empty_store, tmp_path: Path) -> None:
    # yente parteispenden lines 39 and 104: one address written "34-36" and "34 - 36"
    summary, report = await _load(empty_store, tmp_path, "registry-a", _person("p-1", "female"),
                                  _person("p-2", "male"), _person("p-1", "male"))
    assert summary.conflicts == 1
    assert [(r["file"], r["line"], r["conflict"]["kept"], r["conflict"]["keptSources"], r["conflict"]["value"])
            for r in report] == [("registry-a.ftm.json", 3, "female", ["registry-a"], "male")]


@pytest.mark.backends
@pytest.mark.asyncio(loop_scope="session")
async def test_a_relationships_conflict_is_named_too(empty_store, tmp_path: Path) -> None:
    own = {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["p-1"], "asset": ["c-1"], "percentage": []}}
    company = {"id": "c-1", "schema": "Company", "properties": {"name": ["Golden Lotus Co"]}}
    person = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Lee"]}}
    own["properties"]["percentage"] = ["50"]
    await _load(empty_store, tmp_path, "registry-a", person, company, own)
    own["properties"]["percentage"] = ["60"]
    summary, report = await _load(empty_store, tmp_path, "registry-b", person, company, own)
    assert summary.conflicts == 1
    [line] = report
    assert (line["file"], line["line"]) == ("registry-b.ftm.json", 3)
    assert {k: line["conflict"][k] for k in ("kind", "property", "kept", "keptSources", "value", "sources")} == {
        "kind": "relationship", "property": "share", "kept": 50.0, "keptSources": ["registry-a"], "value": 60.0,
        "sources": ["registry-b"]}


@pytest.mark.backends
@pytest.mark.one_store("the cap is the writer's Python; the two tests above prove the store's part on Neo4j")
@pytest.mark.asyncio(loop_scope="session")
async def test_the_report_names_conflicts_up_to_the_cap_and_counts_the_rest(
        empty_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conflict_notes, "MAX_CONFLICT_NOTES", 2)
    await _load(empty_store, tmp_path, "registry-a", *(_person(f"p-{i}", "female") for i in range(3)))
    summary, report = await _load(empty_store, tmp_path, "registry-b", *(_person(f"p-{i}", "male") for i in range(3)))
    assert summary.conflicts == 3 and len(summary.conflicted) == 2
    assert [line.get("conflict", {}).get("id") for line in report] == ["p-0", "p-1", None]
    assert report[-1]["conflictsNotListed"] == 1
    assert report[-1]["reason"].startswith("1 further conflict(s) not listed: a load names at most 2; the count "
                                           "(conflicts: 3) includes them")


class _AgencyWriter:
    viewer = "TH-DSI"


def test_an_agencys_load_is_told_neither_the_kept_value_nor_who_asserted_it() -> None:
    # the kept value may be one the loader may not read: a victim's name (attack round 52, 1)
    old = {"name": "Sok Sreymom", "sources": ["KH-NP-registry"]}
    merged = {**old, "conflicts": [conflict_entry("name", "Somebody Else", ["th-dsi-feed"])]}
    [note] = new_conflicts("per-vic-1", "node", old, merged, Origin("th-dsi-feed", "f.json", 4), _AgencyWriter())
    assert (note.kept, note.kept_sources, note.value, note.sources) == (None, None, "Somebody Else", ("th-dsi-feed",))
    line = json.loads(conflict_notes.conflict_to_json(note))
    assert line["conflict"] == {"kind": "node", "id": "per-vic-1", "property": "name", "value": "Somebody Else",
                                "sources": ["th-dsi-feed"]}
    assert line["reason"] == ('conflict: node per-vic-1 name keeps another value; "Somebody Else" (th-dsi-feed) '
                              "disagrees, kept in its conflicts")
    assert "Sok" not in conflict_notes.conflict_to_json(note) and "KH-NP" not in conflict_notes.conflict_to_json(note)


def test_a_conflict_stored_before_the_load_is_not_named_again() -> None:
    old = {"gender": "female", "sources": ["a"], "conflicts": [conflict_entry("gender", "male", ["b"])]}
    assert new_conflicts("p-1", "node", old, dict(old), Origin("b", "f.json", 1), None) == []


def test_the_cli_summary_names_the_conflicts_and_says_where_the_rest_are(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(cli_summary, "console", Console(file=out, width=300, color_system=None))
    note = ConflictNote("node", "p-1", "gender", "female", ("registry-a",), "male", ("registry-b",), "b.json", 2)
    cli_summary.print_summary(LoadSummary(source="registry-b", conflicts=12, conflicted=[note]))
    text = out.getvalue()
    assert ('conflict: b.json line 2: node p-1 gender keeps "female" (registry-a); "male" (registry-b) disagrees, '
            "kept in its conflicts") in text
    assert "... 12 conflicts in all, named in the reject report" in text
