"""A UTF-16 export without a byte-order mark (a tool's tab export, not Excel's "Unicode text"):
under ``encoding: utf-16`` ``lintas mapping check`` and ``lintas load csv`` refuse it naming the
file and the encoding that reads it (its byte order), never a traceback; under ``utf-16-le`` it
reads (issue 13, attack round 38b, 6)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml
from typer.testing import CliRunner

from graphapi.ingest.cli import load_app
from graphapi.ingest.mapping_cli import mapping_app

REPO = Path(__file__).resolve().parents[2]
WIDE = {"COLUMNS": "400", "TERMINAL_WIDTH": "400"}
REFUSAL = ("export.txt: UTF-16 stream does not start with BOM (csv encoding 'utf-16'); a UTF-16 file without a "
           "byte-order mark is read with its byte order in the mapping: csv: {encoding: utf-16-le} (or utf-16-be)")


def _export(tmp_path: Path, encoding: str) -> tuple[Path, Path]:
    """The shipped crossings-tm mapping saying ``encoding`` and tabs, and the first two rows of its
    sample as a tab export in UTF-16 little-endian without a byte-order mark."""
    mapping = yaml.safe_load((REPO / "seed/mappings/partners/crossings-tm.yaml").read_text(encoding="utf-8"))
    mapping["csv"] = {"records": "single-line", "encoding": encoding, "delimiter": "\t"}
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    sample = (REPO / "seed/samples/crossings-tm.synthetic.csv").read_text(encoding="utf-8")
    text = io.StringIO()
    csv.writer(text, delimiter="\t", lineterminator="\r\n").writerows(csv.reader(sample.splitlines()[:3]))
    (tmp_path / "export.txt").write_bytes(text.getvalue().encode("utf-16-le"))  # no BOM
    return tmp_path / "m.yaml", tmp_path / "export.txt"


def test_mapping_check_refuses_a_utf16_file_without_a_bom_naming_the_file_and_its_byte_order(tmp_path: Path) -> None:
    # found: exit 1 with UnicodeError('UTF-16 stream does not start with BOM') raised out of the command
    mapping, export = _export(tmp_path, "utf-16")
    result = CliRunner().invoke(mapping_app, ["check", "--mapping", str(mapping), str(export)], env=WIDE)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"refused: {REFUSAL}" in " ".join(result.output.split())


def test_load_csv_refuses_a_utf16_file_without_a_bom_as_mapping_check_does(tmp_path: Path) -> None:
    # found: "load failed: UTF-16 stream does not start with BOM ... run the same command again"
    mapping, export = _export(tmp_path, "utf-16")
    result = CliRunner().invoke(load_app, ["csv", "--mapping", str(mapping), str(export), "--dry-run"], env=WIDE)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"load refused: {REFUSAL}" in " ".join(result.output.split())


def test_a_utf16_file_without_a_bom_reads_under_its_byte_order(tmp_path: Path) -> None:
    mapping, export = _export(tmp_path, "utf-16-le")
    result = CliRunner().invoke(mapping_app, ["check", "--mapping", str(mapping), str(export)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "rows read 2 = loaded 2 + rejected 0; nothing written" in result.output
