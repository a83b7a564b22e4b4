"""``lintas load``: the typer sub-app (dry runs: no store needed), summary JSON and reject report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import data_dir
from typer.testing import CliRunner

from graphapi.ingest.cli import load_app
from graphapi.ingest.mapping.model import MAPPINGS

REPO = Path(__file__).resolve().parents[2]


def test_cli_load_ofac_dry_run_prints_summary(tmp_path: Path) -> None:
    rejects = tmp_path / "r.jsonl"
    result = CliRunner().invoke(load_app, [
        "ofac", "--sdn", str(REPO / "seed/ofac/sdn_sea_scam_subset.csv"),
        "--add", str(REPO / "seed/ofac/add_sea_scam_subset.csv"),
        "--dry-run", "--json", "--rejects", str(rejects),
    ])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["rows_read"] == 343 and summary["rows_rejected"] == 0 and summary["dry_run"]
    assert summary["unresolved"] == 1 and rejects.exists()


FTM_FILES = sorted(str(p) for p in data_dir("ftm").glob("*.json"))


def test_cli_load_ftm_dry_run_reads_575_rows_and_rejects_none(tmp_path: Path) -> None:
    # the one line once rejected, a passport of a known holder without its number, adds nothing
    result = CliRunner().invoke(load_app, ["ftm", *FTM_FILES, "--dry-run", "--json",
                                           "--rejects", str(tmp_path / "f.jsonl")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"]) == (575, 575, 0)


def test_cli_load_csv_dry_run_of_the_shipped_transfers_sample_succeeds(tmp_path: Path) -> None:
    result = CliRunner().invoke(load_app, [
        "csv", "--mapping", "transfers", str(REPO / "seed/samples/transfers.synthetic.csv"),
        "--dry-run", "--json", "--rejects", str(tmp_path / "c.jsonl"),
    ])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["dry_run"] is True
    # the two transfers the sample writes without an amount ("n/a") are rejected
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"]) == (400, 398, 2)


def test_cli_generate_and_bad_arguments(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert CliRunner().invoke(load_app, ["generate", "cases", "--rows", "7", "--out", str(out)]).exit_code == 0
    assert len(out.read_text().splitlines()) == 8
    assert CliRunner().invoke(load_app, ["generate", "nope", "--out", str(out)]).exit_code == 2
    bad_tlp = CliRunner().invoke(load_app, ["ofac", "--sdn", str(REPO / "seed/ofac/sdn_sea_scam_subset.csv"),
                                            "--tlp", "PURPLE", "--dry-run"])
    assert bad_tlp.exit_code == 2
    assert CliRunner().invoke(load_app, ["csv", "--mapping", "nope", str(out), "--dry-run"]).exit_code == 2


def test_cli_load_exits_1_and_says_so_when_every_row_read_is_rejected(tmp_path: Path) -> None:
    feed = tmp_path / "cdr.csv"
    feed.write_text("record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
                    "CDR-1,not a phone,+85510904499,2026-05-15 09:54:51,10,353994661493921,TH-CELL-0080,TH\n"
                    "CDR-2,,+85510904499,2026-05-15 09:55:51,10,353994661493921,TH-CELL-0080,TH\n")
    rejects = tmp_path / "r.jsonl"
    result = CliRunner().invoke(load_app, ["csv", "--mapping", "cdr", str(feed), "--dry-run", "--json",
                                           "--rejects", str(rejects)])
    assert result.exit_code == 1
    assert "all 2 rows read were rejected; nothing loaded" in result.stderr
    assert len(rejects.read_text().splitlines()) == 2


def test_cli_load_exits_0_for_a_partial_load_with_rejects_reported(tmp_path: Path) -> None:
    feed = tmp_path / "cdr.csv"
    feed.write_text("record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
                    "CDR-1,0828301908,+85510904499,2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n"
                    "CDR-2,not a phone,+85510904499,2026-05-15 09:55:51,10,353994661493921,TH-CELL-0080,TH\n")
    result = CliRunner().invoke(load_app, ["csv", "--mapping", "cdr", str(feed), "--dry-run", "--json",
                                           "--rejects", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"]) == (2, 1, 1)


def test_cli_load_csv_rejects_a_call_to_a_number_excluded_by_an_exclusions_file(tmp_path: Path) -> None:
    extra = tmp_path / "hotlines.yaml"
    extra.write_text('Phone:\n  values: ["+85510904499"]\n', encoding="utf-8")
    feed = tmp_path / "cdr.csv"
    feed.write_text("record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
                    "CDR-1,0828301908,+85510904499,2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n")
    result = CliRunner().invoke(load_app, ["csv", "--mapping", "cdr", str(feed), "--dry-run", "--json",
                                           "--exclusions", str(extra), "--rejects", str(tmp_path / "r.jsonl")])
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert (summary["rows_read"], summary["rows_rejected"]) == (1, 1)
    assert "+85510904499" in (tmp_path / "r.jsonl").read_text(encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh data directory chosen through the environment, as a user would."""
    from graphapi.settings import get_settings

    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


CDR_ONE_BAD = ("record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
               "CDR-1,0828301908,+85510904499,2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n"
               "CDR-2,not a phone,+85510904499,2026-05-15 09:54:51,10,353994661493921,TH-CELL-0080,TH\n")


def test_two_runs_of_one_source_at_once_each_keep_their_own_default_reject_report(
        data_dir: Path, tmp_path: Path) -> None:
    feed = tmp_path / "cdr.csv"
    feed.write_text(CDR_ONE_BAD)
    for _ in range(2):  # well inside one second
        result = CliRunner().invoke(load_app, ["csv", "--mapping", "cdr", str(feed), "--dry-run", "--json"])
        assert result.exit_code == 0, result.output
    reports = sorted((data_dir / "rejects").iterdir())
    assert len(reports) == 2
    assert all(p.name.startswith("partner-telco-cdr@partner-") and p.suffix == ".jsonl" for p in reports)
    assert [[json.loads(line)["raw"]["record_id"] for line in p.read_text().splitlines()] for p in reports] == [
        ["CDR-2"], ["CDR-2"]]


def test_a_load_says_which_store_it_wrote_to(data_dir: Path, tmp_path: Path) -> None:
    # new-user report: a load run from another directory wrote to a new, empty store of its own
    feed = tmp_path / "cdr.csv"
    feed.write_text(CDR_ONE_BAD)
    result = CliRunner().invoke(load_app, ["csv", "--mapping", "cdr", "--owner", "TH-POLICE", str(feed)])
    assert result.exit_code == 0, result.output
    assert f"written to the embedded store in {data_dir.resolve()} (LINTAS_DATA_DIR)" in result.stderr


def test_a_dry_run_says_it_wrote_nothing_and_read_no_store(data_dir: Path, tmp_path: Path) -> None:
    feed = tmp_path / "cdr.csv"
    feed.write_text(CDR_ONE_BAD)
    result = CliRunner().invoke(load_app, ["csv", "--mapping", "cdr", str(feed), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "nothing written, no store read (dry run)" in result.stderr
    assert "written to the embedded store" not in result.stderr


def test_the_reject_report_is_named_by_its_whole_path_on_one_line_however_narrow_the_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graphapi.settings import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LINTAS_DATA_DIR", "a-data-directory-with-a-long-name-given-relative-to-where-the-load-runs")
    get_settings.cache_clear()
    feed = tmp_path / "cdr.csv"
    feed.write_text(CDR_ONE_BAD.splitlines()[0] + "\n" + CDR_ONE_BAD.splitlines()[2] + "\n")
    try:
        result = CliRunner().invoke(load_app, ["csv", "--mapping", "cdr", str(feed), "--dry-run"],
                                    env={"COLUMNS": "60"})
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    [report] = (tmp_path / "a-data-directory-with-a-long-name-given-relative-to-where-the-load-runs"
                / "rejects").iterdir()
    lines = result.stderr.splitlines()
    assert f"reject report: {report}" in lines
    assert any(line.endswith(f"nothing loaded. Reasons in {report}") for line in lines)


SDN = str(REPO / "seed/ofac/sdn_sea_scam_subset.csv")
#: Usage errors are printed in a rich box; wide enough that no message wraps.
WIDE = {"COLUMNS": "400", "TERMINAL_WIDTH": "400"}


@pytest.mark.parametrize(("option", "message"), [
    (["--owner", ""], "Invalid value for '--owner': '' is not an agency id"),
    (["--owner", "LA:MPS"], "Invalid value for '--owner': 'LA:MPS' is not an agency id"),
    (["--shared-with", "LA@X"], "Invalid value for '--shared-with': 'LA@X' is not an agency id"),
    (["--shared-with", "<x>"], "Invalid value for '--shared-with': '<x>' is not an agency id"),
    (["--tlp", "PURPLE"], "Invalid value for '--tlp': must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED"),
    (["--batch-size", "0"], "Invalid value for '--batch-size'"),
    (["--batch-size", "-1"], "Invalid value for '--batch-size'"),
    (["--correlation-limit", "0"], "Invalid value for '--correlation-limit'"),
    (["--correlation-limit", "-1"], "Invalid value for '--correlation-limit'"),
])
def test_cli_load_refuses_a_bad_option_as_a_usage_error_naming_it(option: list[str], message: str) -> None:
    result = CliRunner().invoke(load_app, ["ofac", "--sdn", SDN, "--dry-run", *option], env=WIDE)
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())


def test_cli_load_reads_tlp_in_any_case_and_shared_with_as_http_does(monkeypatch: pytest.MonkeyPatch) -> None:
    import graphapi.ingest.cli as cli

    seen: dict = {}
    monkeypatch.setattr(cli, "run_with_progress", lambda reader, label, as_json, **kw: seen.update(kw))
    result = CliRunner().invoke(load_app, ["ofac", "--sdn", SDN, "--dry-run", "--tlp", "amber+strict",
                                           "--shared-with", "VN-MPS, KH-NPA", "--shared-with", "VN-MPS"])
    assert result.exit_code == 0, result.output
    assert (seen["tlp"], seen["shared_with"], seen["owner"]) == ("AMBER+STRICT", ["VN-MPS", "KH-NPA"], "public")


@pytest.mark.parametrize(("content", "why"), [
    (b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
     "not a YAML document with `entities` and `relationships`"),
    (b"- a list\n- not a mapping\n", "not a YAML document with `entities` and `relationships`"),
    (b"entities: [caller, callee]\n", "not a YAML document with `entities` and `relationships`"),
    (b"a: [b\n", "not YAML: while parsing a flow sequence"),
    (b"\xff\xfe\x00binary", "not UTF-8 text"),
    (b"[" * 20_000 + b"]" * 20_000, "YAML nested too deep"),  # attack round 16, M4c: a traceback
])
def test_cli_load_csv_with_a_file_that_is_not_a_mapping_is_a_usage_error_without_traceback(
        tmp_path: Path, content: bytes, why: str) -> None:
    mapping = tmp_path / "passwd"
    mapping.write_bytes(content)
    feed = tmp_path / "cdr.csv"
    feed.write_text(CDR_ONE_BAD)
    result = CliRunner().invoke(load_app, ["csv", "--mapping", str(mapping), str(feed), "--dry-run"], env=WIDE)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    text = " ".join(result.output.replace("│", " ").split())
    assert f"Invalid value for '--mapping': not a mapping file: {mapping} ({why})" in text
    assert "Traceback" not in result.output


def test_cli_load_csv_with_a_file_that_is_not_a_mapping_names_every_known_mapping(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "deployment"
    own.mkdir()
    (own / "kh-bank-export.yaml").write_text((MAPPINGS / "transfers.yaml").read_text())
    monkeypatch.setenv("LINTAS_MAPPINGS", str(own))
    mapping = tmp_path / "passwd"
    mapping.write_text("root:x:0:0:root:/root:/bin/bash\n")
    feed = tmp_path / "cdr.csv"
    feed.write_text(CDR_ONE_BAD)
    result = CliRunner().invoke(load_app, ["csv", "--mapping", str(mapping), str(feed), "--dry-run"], env=WIDE)
    text = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2
    assert "give a mapping YAML or one of cases, cdr, crossings, transfers, partners/" in text
    assert text.count("partners/") == len(list(MAPPINGS.glob("partners/*.yaml")))
    assert "kh-bank-export" in text


@pytest.mark.parametrize("loader", [["ofac", "--sdn", SDN, "--source", "ofac-sdn"],
                                    ["ftm", SDN, "--source", "kh-export"],
                                    ["csv", "--mapping", "transfers", SDN, "--source", "kh-fiu"]])
def test_cli_load_passes_replace_to_the_load(loader: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import graphapi.ingest.cli as cli

    seen: dict = {}
    monkeypatch.setattr(cli, "run_with_progress", lambda reader, label, as_json, **kw: seen.update(kw))
    assert CliRunner().invoke(load_app, [*loader, "--dry-run", "--replace"]).exit_code == 0
    assert seen["replace"] is True


@pytest.mark.parametrize(("loader", "source"), [
    (["ofac", "--sdn", SDN, "--owner", "TH-DSI"], "ofac-sdn@TH-DSI"),
    (["ftm", SDN, "--owner", "TH-DSI"], "ftm@TH-DSI"),
    (["csv", "--mapping", "transfers", SDN, "--owner", "TH-DSI"], "partner-fiu-transfers@TH-DSI"),
    (["ftm", SDN, "--owner", "TH-DSI", "--source", "kh-export"], "kh-export@TH-DSI"),
    (["csv", "--mapping", "transfers", SDN, "--owner", "TH-DSI", "--source", "kh-fiu"], "kh-fiu@TH-DSI"),
])
def test_cli_load_stores_its_source_as_the_name_given_or_the_loaders_at_its_owner(
        loader: list[str], source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import graphapi.ingest.cli as cli

    seen: dict = {}
    monkeypatch.setattr(cli, "run_with_progress", lambda reader, label, as_json, **kw: seen.update(kw))
    assert CliRunner().invoke(load_app, [*loader, "--dry-run"], env=WIDE).exit_code == 0
    assert seen["source"] == source


@pytest.mark.parametrize(("loader", "name"), [
    (["ftm", SDN], "ftm"), (["csv", "--mapping", "transfers", SDN], "partner-fiu-transfers")])
def test_cli_load_replace_names_its_source_and_the_loaders_own_replaces_the_loads_that_named_none(
        loader: list[str], name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # every load of the feed that named no source shares one: one file's replace took back the others'
    import graphapi.ingest.cli as cli

    seen: dict = {}
    monkeypatch.setattr(cli, "run_with_progress", lambda reader, label, as_json, **kw: seen.update(kw))
    refused = CliRunner().invoke(load_app, [*loader, "--owner", "TH-DSI", "--dry-run", "--replace"], env=WIDE)
    assert refused.exit_code == 2 and seen == {}
    said = " ".join(refused.output.replace("│", " ").split())
    assert f"--source '{name}' is every load of it that named none" in said
    named = CliRunner().invoke(load_app, [*loader, "--owner", "TH-DSI", "--dry-run", "--replace", "--source", name],
                               env=WIDE)
    assert named.exit_code == 0, named.output
    assert (seen["source"], seen["replace"]) == (f"{name}@TH-DSI", True)  # an upload's without a source field


def test_cli_load_csv_takes_the_source_a_mapping_of_ones_own_names_at_its_owner(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import graphapi.ingest.cli as cli

    seen: dict = {}
    monkeypatch.setattr(cli, "run_with_progress", lambda reader, label, as_json, **kw: seen.update(kw))
    shipped = (REPO / "seed/mappings/transfers.yaml").read_text(encoding="utf-8")
    own = tmp_path / "kh-fiu.yaml"
    own.write_text("source: kh-fiu-2026\n" + shipped.replace("\nsource:", "\n# source:"), encoding="utf-8")
    result = CliRunner().invoke(load_app, ["csv", "--mapping", str(own), SDN, "--owner", "KH-FIU", "--dry-run"],
                                env=WIDE)
    assert result.exit_code == 0, result.output
    assert seen["source"] == "kh-fiu-2026@KH-FIU"


def test_cli_load_csv_refuses_a_mapping_whose_source_is_no_source_id(tmp_path: Path) -> None:
    shipped = (REPO / "seed/mappings/transfers.yaml").read_text(encoding="utf-8")
    own = tmp_path / "kh-fiu.yaml"
    own.write_text("source: kh@fiu\n" + shipped.replace("\nsource:", "\n# source:"), encoding="utf-8")
    result = CliRunner().invoke(load_app, ["csv", "--mapping", str(own), SDN, "--dry-run"], env=WIDE)
    output = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2 and "the mapping's source: 'kh@fiu' is not a source id" in output


def test_cli_load_source_must_be_a_source_id() -> None:
    result = CliRunner().invoke(load_app, ["ftm", SDN, "--dry-run", "--source", "kh:export"], env=WIDE)
    output = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2 and "'kh:export' is not a source id" in output


def test_cli_load_ftm_without_an_owner_warns_that_nobody_else_sees_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import graphapi.ingest.cli as cli

    monkeypatch.setattr(cli, "run_with_progress", lambda reader, label, as_json, **kw: None)
    warned = CliRunner().invoke(load_app, ["ftm", SDN, "--dry-run"], env=WIDE)
    quiet = CliRunner().invoke(load_app, ["ftm", SDN, "--dry-run", "--owner", "TH-DSI"], env=WIDE)
    assert "warning: no --owner: what this load writes is owned by 'partner' at AMBER" in warned.output
    assert "warning" not in quiet.output


def test_cli_load_replace_dry_run_says_it_retracted_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(load_app, ["ofac", "--sdn", SDN, "--dry-run", "--replace", "--source", "ofac-sdn",
                                           "--json", "--rejects", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert (summary["replace"], summary["replace_skipped"], summary["nodes_deleted"]) == (
        True, "dry run: nothing retracted", 0)


def test_cli_load_ftm_refuses_an_unknown_time_zone_as_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_text('{"id": "p1", "schema": "Person", "properties": {"name": ["A"]}}\n', encoding="utf-8")
    result = CliRunner().invoke(load_app, ["ftm", str(path), "--dry-run", "--tz", "Mars/Base"], env=WIDE)
    assert result.exit_code == 2
    output = " ".join(result.output.replace("│", " ").split())
    assert "Invalid value for '--tz': unknown time zone 'Mars/Base'" in output


@pytest.mark.parametrize(("loader", "owner", "tlp"), [
    (["ftm", SDN], "partner", "AMBER"),  # an agency's own export: none but its owner sees it unless told
    (["csv", "--mapping", "transfers", SDN], "partner", "AMBER"),
    (["ofac", "--sdn", SDN], "public", "CLEAR"),  # the published sanctions list
])
def test_cli_load_defaults_to_the_narrowest_audience_but_for_the_public_sanctions_list(
        loader: list[str], owner: str, tlp: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import graphapi.ingest.cli as cli

    seen: dict = {}
    monkeypatch.setattr(cli, "run_with_progress", lambda reader, label, as_json, **kw: seen.update(kw))
    assert CliRunner().invoke(load_app, [*loader, "--dry-run"]).exit_code == 0
    assert (seen["owner"], seen["tlp"]) == (owner, tlp)


def test_cli_load_csv_refuses_a_utf16_header_naming_the_encoding_to_declare(tmp_path: Path) -> None:
    # was "load failed: ... run the same command again", which cannot help: the mapping must say utf-16
    feed = tmp_path / "cdr.csv"
    feed.write_bytes(CDR_ONE_BAD.encode("utf-16"))
    result = CliRunner().invoke(load_app, ["csv", "--mapping", "cdr", str(feed), "--dry-run"], env=WIDE)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert ("load refused: cdr.csv: the header is not UTF-8 text (UTF-16? say csv: {encoding: utf-16} "
            "in the mapping)") in " ".join(result.output.split())
