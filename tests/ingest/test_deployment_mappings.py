"""A deployment's own mappings (``LINTAS_MAPPINGS``) are known by name, as the shipped ones are,
so a partner's layout can be uploaded over HTTP (``/loads`` takes names, never paths) without
editing the installed package (new-user report)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.ingest.load_kinds import shipped_mappings
from graphapi.ingest.mapping import load_mapping

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "mappings"
    folder.mkdir()
    text = (REPO / "seed" / "mappings" / "transfers.yaml").read_text(encoding="utf-8")
    (folder / "la-amlio-transfers.yaml").write_text(text.replace("name: transfers", "name: la-amlio-transfers"),
                                                   encoding="utf-8")
    monkeypatch.setenv("LINTAS_MAPPINGS", str(folder))
    return folder


def test_a_deployments_mapping_is_known_by_its_file_name(deployment: Path) -> None:
    named = shipped_mappings()
    assert named["la-amlio-transfers"] == deployment / "la-amlio-transfers.yaml"
    assert named["cdr"].parent.name == "mappings" and "partners/crossings-tm" in named


def test_a_deployments_mapping_loads_by_name(deployment: Path) -> None:
    assert load_mapping("la-amlio-transfers").name == "la-amlio-transfers"


def test_a_deployments_mapping_named_as_a_shipped_one_is_left_out_and_logged(
        deployment: Path, caplog: pytest.LogCaptureFixture) -> None:
    # attack round 14, M4: raised, it broke every upload and showed the server's paths
    (deployment / "cdr.yaml").write_text("name: cdr\n", encoding="utf-8")
    named = shipped_mappings()
    assert named["cdr"].parent.name == "mappings" and "la-amlio-transfers" in named
    assert "is left out: it is named 'cdr'" in caplog.text


def test_a_left_out_deployment_mapping_is_logged_once_not_once_per_upload(
        deployment: Path, caplog: pytest.LogCaptureFixture) -> None:
    (deployment / "crossings.yaml").write_text("name: crossings\n", encoding="utf-8")
    for _ in range(5):
        shipped_mappings()
    assert caplog.text.count("is left out: it is named 'crossings'") == 1


def test_the_api_logs_a_left_out_deployment_mapping_at_start(
        deployment: Path, caplog: pytest.LogCaptureFixture) -> None:
    from fastapi.testclient import TestClient

    from graphapi.app import create_app
    from graphapi.settings import Settings

    (deployment / "cases.yaml").write_text("name: cases\n", encoding="utf-8")
    app = create_app(Settings(demo=True), store=object())  # type: ignore[arg-type]  # never asked
    with TestClient(app):
        assert "is left out: it is named 'cases'" in caplog.text


def test_a_folder_or_dangling_link_named_like_a_mapping_is_left_out(
        deployment: Path, caplog: pytest.LogCaptureFixture) -> None:
    # attack round 16, M4c: asked for by name, the refusal showed every caller the server's path
    (deployment / "dir.yaml").mkdir()
    (deployment / "gone.yaml").symlink_to(deployment / "nowhere.yaml")
    named = shipped_mappings()
    assert "dir" not in named and "gone" not in named and "la-amlio-transfers" in named
    assert "dir.yaml is left out: not a readable file" in caplog.text
