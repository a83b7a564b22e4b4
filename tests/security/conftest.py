"""Fixtures of the security tests."""

import pytest

from graphapi.settings import get_settings


@pytest.fixture
def access_file(tmp_path, monkeypatch):
    """The settings' access-request file is the tests' (``grant_setups.th_asks_for_phone``'s)."""
    monkeypatch.setenv("LINTAS_ACCESS_FILE", str(tmp_path / "access.json"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
