"""A mapping's regexes and YAML aliases against hostile input (feeds trial, H5 and H6): a
catastrophic pattern on an uploader's 30 kB cell, and an alias bomb in a value map, are answered
in time, on the CLI and a /loads job alike, never by a hang."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphapi.ingest.load_kinds import readable_mapping
from graphapi.ingest.mapping import MappingError, load_mapping
from graphapi.ingest.mapping_cli import mapping_app
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance

PROV = Provenance(owner="TH-IMM", tlp="AMBER", seen="2026-03-01T00:00:00")
#: Python's backtracking re takes 2**n steps on n of these before the '!' fails the match
HOSTILE = "a" * 30_000 + "!"

DEVICE = """
name: redos
entities:
  phone:
    label: Phone
    properties:
      number: {column: a, steps: [{regex: "(a+)+$"}]}
  device:
    label: Device
    required: true
    %s
    properties:
      imei: {value: "353994661493921"}
"""

BOMB = """
name: bomb
x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
x1: &a1 [*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0]
x2: &a2 [*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1]
x3: &a3 [*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2]
x4: &a4 [*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3]
x5: &a5 [*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4]
x6: &a6 [*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5]
x7: &a7 [*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6]
x8: &a8 [*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7]
columns:
  a: {map: {canon: *a8}}
entities:
  q: {label: Device, required: true, properties: {imei: {column: a}}}
"""


def _within(seconds: float, work):
    """``work()``'s result, failing the test (not hanging it) if it takes longer than ``seconds``:
    run in a forked process, as a backtracking match holds the GIL (no thread could time it)."""
    context = multiprocessing.get_context("fork")
    results = context.SimpleQueue()

    def run() -> None:
        try:
            results.put(("value", work()))
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's own process
            results.put(("raised", exc))

    worker = context.Process(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        worker.kill()
        worker.join()
        pytest.fail(f"still running after {seconds} s")
    how, got = results.get()
    if how == "raised":
        raise got
    return got


def _files(tmp_path: Path, mapping: str) -> tuple[Path, Path]:
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "f.csv").write_text(f"id,a\n1,{HOSTILE}\n2,aaa\n", encoding="utf-8")
    return tmp_path / "m.yaml", tmp_path / "f.csv"


def _phones(mapping: Path, data: Path) -> list[str]:
    reader = MappedCsvReader(load_mapping(mapping), [data])
    return [i.properties["number"] for i in reader.records() if isinstance(i, NodeRecord) and i.label == "Phone"]


def test_a_catastrophic_regex_step_on_a_30_kb_value_finishes_in_time(tmp_path: Path) -> None:
    mapping, data = _files(tmp_path, DEVICE % "")
    assert _within(5, lambda: _phones(mapping, data)) == []  # 'aaa' is no phone number: not made either


def test_a_catastrophic_matches_condition_on_a_30_kb_value_finishes_in_time(tmp_path: Path) -> None:
    mapping, data = _files(tmp_path, DEVICE % 'when: {column: a, matches: "(a+)+$"}')
    reader = MappedCsvReader(load_mapping(mapping), [data])
    devices = _within(5, lambda: [i.id for i in reader.records() if isinstance(i, NodeRecord) and i.label == "Device"])
    assert devices == ["device:353994661493921"]  # of the 'aaa' row: the hostile one ends '!', no match


def test_a_regex_extract_step_still_gives_its_first_group() -> None:
    from graphapi.ingest.mapping.steps import compile_steps

    (step,) = compile_steps([{"regex": r"(?i)tel[: ]*(\d{3}-\d{4})"}], "test")
    assert step("call TEL: 081-2345 now") == "081-2345"
    assert step("ไม่มี") is None


def test_a_regex_with_a_backreference_is_refused_naming_the_engine(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(DEVICE.replace("(a+)+$", r"(a)\\1") % "", encoding="utf-8")
    with pytest.raises(MappingError, match=r"m\.yaml: entity phone\.number: step 1 \(regex\): regex '\(a\)\\\\1' "
                                           r"does not compile: .*\(patterns are RE2: no backreferences"):
        load_mapping(tmp_path / "m.yaml")


def test_a_regex_step_matching_any_byte_is_refused_naming_field_and_pattern(tmp_path: Path) -> None:
    # RE2's \\C cuts a Thai letter's UTF-8 bytes: rows were rejected with Python's codec text (round 30c, L6)
    (tmp_path / "m.yaml").write_text(DEVICE.replace("(a+)+$", r"^(\\C{4})") % "", encoding="utf-8")
    with pytest.raises(MappingError, match=r"m\.yaml: entity phone\.number: step 1 \(regex\): regex '\^\(\\\\C\{4\}\)' "
                                           r"uses \\C \(any byte\), which can split a character: use \. for any"):
        load_mapping(tmp_path / "m.yaml")


def test_a_matches_condition_matching_any_byte_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(DEVICE % r'when: {column: a, matches: "x\\C"}', encoding="utf-8")
    with pytest.raises(MappingError, match=r"m\.yaml: .*matches 'x\\\\C' uses \\C \(any byte\)"):
        load_mapping(tmp_path / "m.yaml")


@pytest.mark.parametrize("pattern", [r"a\\C", r"\Qa\C\E"])
def test_a_literal_backslash_c_is_no_any_byte(pattern: str) -> None:
    from graphapi.ingest.mapping.steps import compile_steps

    (step,) = compile_steps([{"regex": pattern}], "test")
    assert step("x a\\C y") == "a\\C"


def test_any_byte_after_a_literal_backslash_is_refused() -> None:
    from graphapi.ingest.mapping.steps import compile_steps

    with pytest.raises(MappingError, match=r"uses \\C \(any byte\)"):
        compile_steps([{"regex": r"a\\\C"}], "test")


@pytest.mark.backends
async def test_a_load_job_with_a_catastrophic_regex_finishes(empty_store, tmp_path: Path) -> None:
    mapping, data = _files(tmp_path, DEVICE % 'when: {column: a, matches: "(a+)+$"}')
    reader = MappedCsvReader(load_mapping(mapping), [data])
    summary = await run_load(empty_store, reader, source="t-redos", provenance=PROV)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 2, 0)


def test_an_alias_bomb_in_a_value_map_is_refused_when_the_mapping_is_read(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    with pytest.raises(MappingError, match=r"^bomb\.yaml: its YAML aliases expand to more than 100,000 values"):
        _within(5, lambda: load_mapping(tmp_path / "bomb.yaml"))


def test_a_yaml_alias_that_holds_itself_is_refused(tmp_path: Path) -> None:
    text = "name: loop\nx: &a [1, *a]\nentities:" + BOMB.split("entities:")[1]
    (tmp_path / "loop.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=r"^loop\.yaml: a YAML alias refers to a value that holds it"):
        load_mapping(tmp_path / "loop.yaml")


def test_a_shared_anchor_under_the_bound_still_reads(tmp_path: Path) -> None:
    text = BOMB.split("x0:")[0] + 'x0: &a0 ["lol"]\ncolumns:\n  a: {map: {canon: *a0}}\n' + BOMB.split("*a8}}")[1]
    (tmp_path / "small.yaml").write_text(text, encoding="utf-8")
    assert load_mapping(tmp_path / "small.yaml").doc["columns"]["a"]["map"] == {"canon": ["lol"]}


def test_mapping_check_refuses_an_alias_bomb_with_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    (tmp_path / "f.csv").write_text("a\nlol\n", encoding="utf-8")
    def check() -> tuple[int, str]:
        result = CliRunner().invoke(mapping_app, ["check", "--mapping", str(tmp_path / "bomb.yaml"),
                                                  str(tmp_path / "f.csv")])
        return result.exit_code, " ".join(result.output.split())

    code, output = _within(5, check)
    assert code == 2
    assert "bad mapping: bomb.yaml: its YAML aliases expand to more than 100,000 values" in output


def test_a_load_naming_a_deployments_alias_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "la-bomb.yaml").write_text(BOMB, encoding="utf-8")
    monkeypatch.setenv("LINTAS_MAPPINGS", str(tmp_path))  # /loads takes a mapping by name
    with pytest.raises(MappingError, match=r"^la-bomb\.yaml: its YAML aliases expand"):
        _within(5, lambda: readable_mapping("la-bomb"))
