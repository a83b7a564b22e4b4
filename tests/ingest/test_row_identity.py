"""Row identity for feeds with no record id (issue 13 trial, HIGH 5): ``{_file}:{_line}`` merged
next month's export of the same name into last month's crossings (relationships_created 0,
conflicts 2) without a word. ``{_sha256}`` keys a row by the file's content, and a load whose
rows keyed by the file's name meet stored ones with other values warns of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.ingest.load_summary import LoadSummary
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PROV = Provenance(owner="TH-IMM", tlp="AMBER", seen="2026-04-30T00:00:00")
MAPPING = """name: crossings-log
source: partner-imm-log
csv: {{records: single-line}}
hints: {{tz: Asia/Bangkok}}
entities:
  traveller:
    label: Person
    required: true
    id: {{template: "log-{{passport}}"}}
    properties:
      name: {{column: name}}
  checkpoint:
    label: BorderCheckpoint
    required: true
    id: {{template: "checkpoint-{{code}}"}}
    properties:
      name: {{column: code}}
relationships:
  - type: CROSSED
    from: traveller
    to: checkpoint
    key: "{key}"
    required: true
    properties:
      at: {{column: at}}
"""
HEADER = "name,passport,code,at"
MARCH = ["Aung Kyaw,MA123456,MST,2026-03-05 08:00", "Aung Kyaw,MA123456,MWD,2026-03-10 17:30"]
APRIL = ["Aung Kyaw,MA123456,MST,2026-04-05 09:00", "Aung Kyaw,MA123456,MWD,2026-04-11 18:00"]


def _export(tmp_path: Path, month: str, rows: list[str]) -> Path:
    """A month's export: always named crossings.csv, as the partner sends it."""
    path = tmp_path / month / "crossings.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _reader(tmp_path: Path, key: str, path: Path) -> MappedCsvReader:
    mapping = tmp_path / f"m{abs(hash(key))}.yaml"
    mapping.write_text(MAPPING.format(key=key), encoding="utf-8")
    return MappedCsvReader(load_mapping(mapping), [path])


def _crossing_ids(reader: MappedCsvReader) -> list[str]:
    return [i.id for i in reader.records() if isinstance(i, EdgeRecord)]


async def _load(store, tmp_path: Path, key: str, path: Path) -> LoadSummary:
    return await run_load(store, _reader(tmp_path, key, path), source="partner-imm-log", provenance=PROV)


def test_a_key_by_content_tells_two_exports_of_one_name_apart_and_a_reload_keeps_its_ids(tmp_path: Path) -> None:
    march, april = _export(tmp_path, "march", MARCH), _export(tmp_path, "april", APRIL)
    key = "{_sha256}:{_line}"
    first, again = _crossing_ids(_reader(tmp_path, key, march)), _crossing_ids(_reader(tmp_path, key, march))
    assert first == again and len(set(first)) == 2
    assert not set(first) & set(_crossing_ids(_reader(tmp_path, key, april)))


def test_a_key_by_file_name_and_line_gives_two_exports_of_one_name_the_same_ids(tmp_path: Path) -> None:
    march, april = _export(tmp_path, "march", MARCH), _export(tmp_path, "april", APRIL)
    key = "{_file}:{_line}"
    assert _crossing_ids(_reader(tmp_path, key, march)) == _crossing_ids(_reader(tmp_path, key, april))


async def test_next_months_export_keyed_by_content_adds_its_crossings(empty_store, tmp_path: Path) -> None:
    key = "{_sha256}:{_line}"
    await _load(empty_store, tmp_path, key, _export(tmp_path, "march", MARCH))
    april = await _load(empty_store, tmp_path, key, _export(tmp_path, "april", APRIL))
    assert (april.relationships_created, april.conflicts, april.warnings) == (2, 0, 0)


async def test_next_months_export_keyed_by_file_name_is_warned_of_as_merged_into_last_months(
        empty_store, tmp_path: Path) -> None:
    key = "{_file}:{_line}"
    await _load(empty_store, tmp_path, key, _export(tmp_path, "march", MARCH))
    april = await _load(empty_store, tmp_path, key, _export(tmp_path, "april", APRIL))
    assert (april.relationships_created, april.conflicts) == (0, 2)
    assert [(w.file, w.line, w.reason) for w in april.warned] == [(
        "crossings.csv", 2, "2 CROSSED relationship(s) keyed '{_file}:{_line}' met a stored one of the same key "
        "with other values: a different file named crossings.csv was loaded before (last month's export?) and "
        "these rows were merged into its rows, not added. Key an export's rows by its content, "
        "{_sha256}:{_line} (docs/mappings.md, Row identity)")]
    assert april.warnings == 1
    # it names a file and a key, no row's values: a load job's summary shows it
    assert april.file_warnings == [{"file": "crossings.csv", "line": 2, "reason": april.warned[0].reason}]


async def test_a_reload_of_the_same_file_keyed_by_file_name_is_not_warned_of(empty_store, tmp_path: Path) -> None:
    key = "{_file}:{_line}"
    march = _export(tmp_path, "march", MARCH)
    await _load(empty_store, tmp_path, key, march)
    again = await _load(empty_store, tmp_path, key, march)
    assert (again.relationships_created, again.conflicts, again.warned) == (0, 0, [])


def test_mapping_check_notes_a_key_by_file_name_and_not_one_by_content(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from graphapi.ingest.mapping_cli import mapping_app

    march = _export(tmp_path, "march", MARCH)
    notes = {}
    for key in ("{_file}:{_line}", "{_sha256}:{_line}"):
        (tmp_path / "m.yaml").write_text(MAPPING.format(key=key), encoding="utf-8")
        result = CliRunner().invoke(mapping_app, ["check", "--mapping", str(tmp_path / "m.yaml"), str(march)])
        assert result.exit_code == 0, result.output
        notes[key] = [line for line in result.stdout.splitlines() if line.startswith("note:")]
    assert notes == {"{_sha256}:{_line}": [], "{_file}:{_line}": [
        "note: CROSSED is keyed '{_file}:{_line}', by the file's name: a later file of the same name (next month's "
        "export) would be merged into this one's rows (right for a log that grows in place); key exports by "
        "{_sha256}:{_line}"]}
