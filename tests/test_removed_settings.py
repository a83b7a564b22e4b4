"""A setting a release removed is said at start-up, naming what replaced it, not ignored in silence
(attack round 30c: LINTAS_SEARCH_PER_AGENCY, removed with the search queue, bounded nothing)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graphapi.app import create_app
from graphapi.settings import Settings, removed_settings


def test_a_removed_setting_names_what_replaced_it() -> None:
    (said,) = removed_settings({"LINTAS_SEARCH_PER_AGENCY": "1", "LINTAS_SEARCH_SLOTS": "2"})
    assert said.startswith("LINTAS_SEARCH_PER_AGENCY is set but no longer read (removed); use LINTAS_SEARCH_SLOTS")
    assert "LINTAS_SEARCH_IN_FLIGHT" in said and "LINTAS_SEARCH_WAIT_S" in said


def test_no_removed_setting_set_says_nothing() -> None:
    assert removed_settings({"LINTAS_SEARCH_SLOTS": "2"}) == []


def test_the_api_warns_of_a_removed_setting_once_at_start(monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("LINTAS_SEARCH_PER_AGENCY", "1")
    app = create_app(Settings(demo=True), store=object())  # type: ignore[arg-type]  # never asked
    with TestClient(app) as client:
        client.get("/health")
        client.get("/health")
    warned = [r for r in caplog.records if "LINTAS_SEARCH_PER_AGENCY" in r.getMessage()]
    assert [r.levelname for r in warned] == ["WARNING"]
