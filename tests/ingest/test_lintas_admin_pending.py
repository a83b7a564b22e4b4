"""``lintas admin pending``: an operator lists the pending retraction marks and drops one, audited
(attack round 41a, 4: a stuck mark could only be seen or removed with raw Cypher)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import graphapi.cli as cli
from graphapi.ingest.pending_recounts import RECOUNT_ID, noted
from graphapi.security.audit import AuditLog
from graphapi.security.runtime import audit_path
from graphapi.settings import get_settings
from graphapi.store import open_store

runner = CliRunner()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def lintas_env(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The store a user's environment selects: an embedded data directory, or the tests' Neo4j."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    if request.param == "neo4j":
        monkeypatch.setenv("NEO4J_URI", request.getfixturevalue("neo4j_uri"))
    monkeypatch.setenv("LINTAS_DEMO", "false")
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LINTAS_GRAPH", "cli")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _mark_a_rebuild(mark: str) -> None:
    """A replace's rebuild of two nodes, marked pending as a killed replace leaves it. Nodes of its
    own: the tests' Neo4j is not cleared after another test's stuck mark, which one on p-1 waits for."""
    async def write() -> None:
        store = await open_store(get_settings())
        try:
            await store.write("ingest/mark_rebuild", {"mark": mark, "type": "", "ids": [f"{mark}-1", f"{mark}-2"],
                                                      "said": [], "owner": "TH-DSI", "referred": [], "referrer": ""})
        finally:
            await store.close()

    asyncio.run(write())


def _listed() -> list[dict]:
    result = runner.invoke(cli.app, ["admin", "pending", "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_admin_pending_lists_a_mark_with_its_owner_items_and_attempts(lintas_env: None) -> None:
    mark = f"test-{uuid.uuid4().hex}"
    _mark_a_rebuild(mark)
    try:
        [listed] = [m for m in _listed() if m["id"] == mark]
        assert listed == {"id": mark, "kind": "rebuild", "source": "", "owner": "TH-DSI", "items": 2,
                          "attempts": 0, "lastError": None, "firstFailed": None, "ageS": None,
                          "waitsFor": None}
    finally:
        runner.invoke(cli.app, ["admin", "pending", "--drop", mark, "--reason", "test cleanup"])


def test_admin_pending_drop_deletes_the_mark_and_audits_who_and_why(lintas_env: None) -> None:
    mark = f"test-{uuid.uuid4().hex}"
    _mark_a_rebuild(mark)
    result = runner.invoke(cli.app, ["admin", "pending", "--drop", mark, "--reason", "poison batch",
                                     "--operator", "ops-anna"])
    assert result.exit_code == 0, result.output
    assert mark not in [m["id"] for m in _listed()]
    [entry] = [e for e in AuditLog(audit_path(get_settings())).entries() if e["operation"] == "pending.drop"]
    assert (entry["subject"], entry["arguments"]["mark"], entry["arguments"]["ids"],
            entry["arguments"]["reason"]) == ("ops-anna", mark, [f"{mark}-1", f"{mark}-2"], "poison batch")


def test_admin_pending_drop_without_a_reason_is_refused_and_keeps_the_mark(lintas_env: None) -> None:
    mark = f"test-{uuid.uuid4().hex}"
    _mark_a_rebuild(mark)
    try:
        result = runner.invoke(cli.app, ["admin", "pending", "--drop", mark])
        assert result.exit_code == 2
        assert "--reason" in result.output
        assert mark in [m["id"] for m in _listed()]
    finally:
        runner.invoke(cli.app, ["admin", "pending", "--drop", mark, "--reason", "test cleanup"])


def test_admin_pending_names_an_unknown_mark(lintas_env: None) -> None:
    result = runner.invoke(cli.app, ["admin", "pending", "--retry", "no-such-mark"])
    assert result.exit_code == 1
    assert "no pending mark no-such-mark" in result.output


def _noted(*ids: str) -> list[str]:
    """Note ``ids`` for a quarantine recount (as a load killed before its recount leaves them), or
    with none given only read what is noted."""
    async def run() -> list[str]:
        store = await open_store(get_settings())
        try:
            if ids:
                await store.write("ingest/note_quarantine_ids", {"id": RECOUNT_ID, "ids": list(ids)})
            return await noted(store)
        finally:
            await store.close()

    return asyncio.run(run())


def test_admin_pending_lists_identifiers_noted_for_a_recount_as_one_recount_entry(lintas_env: None) -> None:
    phone = f"phone:test-{uuid.uuid4().hex}"
    everything = _noted(phone)
    try:
        [listed] = [m for m in _listed() if m["kind"] == "recount"]
        assert (listed["id"], listed["items"], listed["source"], listed["owner"]) == (
            "quarantine", len(everything), "", "")
    finally:
        runner.invoke(cli.app, ["admin", "pending", "--retry", "quarantine"])


def test_admin_pending_retry_quarantine_recounts_the_noted_identifiers_and_unnotes_them(lintas_env: None) -> None:
    phone = f"phone:test-{uuid.uuid4().hex}"
    assert phone in _noted(phone)

    result = runner.invoke(cli.app, ["admin", "pending", "--retry", "quarantine"])

    assert result.exit_code == 0, result.output
    assert "noted quarantined identifiers recounted" in result.output
    assert _noted() == []
    assert [m for m in _listed() if m["kind"] == "recount"] == []


def test_admin_pending_refuses_to_drop_the_noted_recount_and_keeps_it(lintas_env: None) -> None:
    phone = f"phone:test-{uuid.uuid4().hex}"
    _noted(phone)
    try:
        result = runner.invoke(cli.app, ["admin", "pending", "--drop", "quarantine", "--reason", "why not"])
        assert result.exit_code == 2
        assert "--retry it" in result.output
        assert phone in _noted()
    finally:
        runner.invoke(cli.app, ["admin", "pending", "--retry", "quarantine"])


@pytest.mark.one_store("a fresh data directory is the embedded store's; the tests' Neo4j is shared")
def test_admin_pending_on_a_fresh_data_directory_says_nothing_is_pending(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("LINTAS_DEMO", "false")
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path / "fresh"))
    get_settings.cache_clear()
    try:
        result = runner.invoke(cli.app, ["admin", "pending"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "no pending marks" in result.output


def test_admin_pending_retry_quarantine_with_nothing_noted_names_it_unknown(lintas_env: None) -> None:
    runner.invoke(cli.app, ["admin", "pending", "--retry", "quarantine"])  # another test's noted ids, if any
    result = runner.invoke(cli.app, ["admin", "pending", "--retry", "quarantine"])
    assert result.exit_code == 1
    assert "no pending mark quarantine" in result.output
