"""The ``lintas`` command line: help, schema, init-db (idempotent), demo (seeds, then serves)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import graphapi.cli as cli
from graphapi.schema.schema import print_sdl
from graphapi.settings import get_settings

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh embedded data directory, selected through the environment as a user would."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("LINTAS_DEMO", "false")  # restored after the test: `lintas demo` sets it to true
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LINTAS_GRAPH", "cli")
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_cli_help_lists_the_commands() -> None:
    result = runner.invoke(cli.app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "demo", "init-db", "schema"):
        assert command in result.output


def test_cli_schema_prints_exactly_the_sdl() -> None:
    result = runner.invoke(cli.app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == print_sdl()


@pytest.mark.parametrize(("name", "value", "said"), [
    ("LINTAS_JWT_SECRET", "abc", "LINTAS_JWT_SECRET must be at least 32 bytes"),
    ("LINTAS_RATE_LIMIT_BURST", "many", "LINTAS_RATE_LIMIT_BURST: Input should be a valid integer"),
    ("LINTAS_SEARCH_CUT_MARGIN_S", "inf", "LINTAS_SEARCH_CUT_MARGIN_S: Input should be a finite number"),
    ("LINTAS_SEARCH_CUT_MARGIN_S", "61", "LINTAS_SEARCH_CUT_MARGIN_S: Input should be less than or equal to 60"),
])
def test_cli_a_bad_setting_is_one_clear_line_before_any_command(data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 name: str, value: str, said: str) -> None:
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    result = runner.invoke(cli.app, ["schema"])
    assert result.exit_code == 2
    assert said in " ".join(result.output.split())  # rich may wrap the line
    assert "Traceback" not in result.output and result.stdout == ""


def test_cli_init_db_creates_then_reports_nothing_to_do(data_dir: Path) -> None:
    first = runner.invoke(cli.app, ["init-db"])
    assert first.exit_code == 0, first.output
    assert "created unique Entity.id" in first.output and "fulltext" in first.output
    assert "gazetteer nodes (banks, checkpoints, compounds; public CLEAR)" in first.output
    assert "gazetteer nodes" not in runner.invoke(cli.app, ["init-db"]).output  # there already
    second = runner.invoke(cli.app, ["init-db"])
    assert second.exit_code == 0, second.output
    assert "already in place" in second.output and "created unique" not in second.output


def test_cli_demo_seeds_the_fixture_then_serves(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[tuple[str, int, int]] = []
    monkeypatch.setattr(cli, "_serve", lambda host, port, workers: served.append((host, port, workers)))
    result = runner.invoke(cli.app, ["demo", "--port", "8123", "--reset"])
    assert result.exit_code == 0, result.output
    assert "fixture nodes created" in result.output
    if cli.OFAC_SDN.exists():
        assert "OFAC rows read" in result.output
    assert "http://127.0.0.1:8123/graphql" in result.output
    assert served == [("127.0.0.1", 8123, 1)]
    # the sample feeds' rejects can be read: the two transfers without an amount, with their reason
    rejects = [json.loads(line) for line in (data_dir / "rejects" / "demo-transfers.jsonl").read_text().splitlines()]
    assert len(rejects) == 2 and all("amount" in r["reason"] for r in rejects)
    again = runner.invoke(cli.app, ["demo", "--port", "8123"])
    assert again.exit_code == 0, again.output


def test_cli_serve_runs_uvicorn_with_the_app_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[tuple, dict]] = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    result = runner.invoke(cli.app, ["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert calls == [(("graphapi.serving:create_served_app",),
                      {"factory": True, "host": "0.0.0.0", "port": 9000, "workers": 2})]
    # the workers' LINTAS_PARENT_PID does not stay in this process: an app it serves next would
    # take its runner for a gone supervisor and stop itself (it killed a test worker once)
    from graphapi.process_lifetime import PARENT_ENV

    assert PARENT_ENV not in os.environ


def test_cli_mounts_the_loaders_when_ingest_offers_them() -> None:
    import importlib.util

    has_loaders = importlib.util.find_spec("graphapi.ingest.cli") is not None
    if has_loaders:
        from graphapi.ingest import cli as ingest_cli

        has_loaders = hasattr(ingest_cli, "load_app")
    result = runner.invoke(cli.app, ["--help"])
    assert ("load" in result.output.split()) == has_loaders or ("│ load " in result.output) == has_loaders


def test_cli_demo_on_a_busy_port_exits_before_seeding(tmp_path, monkeypatch):
    import socket

    from typer.testing import CliRunner

    from graphapi.cli import app

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path / "store"))
        result = CliRunner().invoke(app, ["demo", "--port", str(port)])
    assert result.exit_code == 2
    assert not (tmp_path / "store").exists()


def test_cli_serve_on_a_fresh_data_dir_answers_search_without_init_db(tmp_path, monkeypatch):
    import asyncio

    import httpx

    from graphapi.app import create_app
    from graphapi.settings import Neo4jSettings, Settings

    settings = Settings(data_dir=tmp_path / "fresh", demo=True, neo4j=Neo4jSettings(uri=None))
    app = create_app(settings)

    async def run():
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                r = await client.post("/graphql", json={"query": '{ search(text: "dragon") { edges { score } } }'})
                return r.json()

    body = asyncio.run(run())
    assert body == {"data": {"search": {"edges": []}}}


def test_cli_demo_warns_of_demo_mode_exactly_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """What `lintas demo` prints and what the app it serves logs, together: one DEMO MODE warning."""
    from graphapi.app import create_app

    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LINTAS_DEMO", "false")  # restored after the test: demo sets it to true
    monkeypatch.setattr(cli, "_check_port_free", lambda host, port: None)
    monkeypatch.setattr(cli, "_seed", lambda reset: _no_seed())
    monkeypatch.setattr(cli, "_serve", lambda host, port, workers: create_app())  # what uvicorn's factory does
    get_settings.cache_clear()
    with caplog.at_level("WARNING"):
        result = runner.invoke(cli.app, ["demo", "--port", "8124"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    printed = result.output.count("DEMO MODE")
    logged = sum("DEMO MODE" in r.getMessage() for r in caplog.records)
    assert (printed + logged, logged) == (1, 1)


async def _no_seed() -> tuple[list[str], list[tuple[str, object]]]:
    return [], []


@pytest.fixture
def neo4j_env(neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The session's Neo4j selected through the environment, as a user points Lintas at one."""
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path / "data"))  # audit log and keys only
    monkeypatch.setenv("LINTAS_DEMO", "false")  # restored after the test: demo sets it to true
    get_settings.cache_clear()
    yield neo4j_uri
    get_settings.cache_clear()


def _neo4j_counts(uri: str) -> tuple[int, int]:
    import asyncio

    from graphapi.settings import Neo4jSettings, Settings
    from graphapi.store import open_store

    async def count() -> tuple[int, int]:
        store = await open_store(Settings(neo4j=Neo4jSettings(uri=uri)))
        try:
            (row,) = await store.read("admin/snapshot")
            return len(row["nodes"]), len([r for r in row["relationships"] if r.get("type")])
        finally:
            await store.close()

    return asyncio.run(count())


@pytest.mark.neo4j
def test_cli_init_db_on_neo4j_reports_the_schema_in_place(neo4j_env: str) -> None:
    first = runner.invoke(cli.app, ["init-db"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli.app, ["init-db"])
    assert again.exit_code == 0, again.output
    assert "already in place" in again.output and "created unique" not in again.output


@pytest.mark.neo4j
def test_cli_demo_with_neo4j_uri_seeds_neo4j_then_serves(neo4j_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[tuple[str, int, int]] = []
    monkeypatch.setattr(cli, "_serve", lambda host, port, workers: served.append((host, port, workers)))
    monkeypatch.setattr(cli, "_check_port_free", lambda host, port: None)
    result = runner.invoke(cli.app, ["demo", "--port", "8125", "--reset"])
    assert result.exit_code == 0, result.output
    assert "fixture nodes created" in result.output
    assert served == [("127.0.0.1", 8125, 1)]
    nodes, relationships = _neo4j_counts(neo4j_env)
    again = runner.invoke(cli.app, ["demo", "--port", "8125"])
    assert again.exit_code == 0, again.output
    assert _neo4j_counts(neo4j_env) == (nodes, relationships)  # seeding again changes nothing
    assert nodes > 20 and relationships > 20


def test_cli_demo_data_places_the_reported_compounds_for_nearby(data_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`lintas demo`'s seed stores the gazetteer's town-level positions: `nearby` 25 km around
    Myawaddy (16.69 N, 98.51 E) finds KK Park and Shwe Kokko beside the fixture's own (fictional)
    Lucky Dragon Park, nearest first."""
    import asyncio

    from graphapi.investigate.geo import nearby
    from graphapi.security import DEMO_PRINCIPAL
    from graphapi.store import open_store

    monkeypatch.setattr(cli, "OFAC_SDN", data_dir / "no-ofac.csv")  # the OFAC subset places no compound
    created, rows = asyncio.run(cli._seed(True))
    assert ("gazetteer rows rejected", 0) in rows

    async def compounds_near_myawaddy() -> list[tuple[str, float, float, float]]:
        store = await open_store(get_settings())
        try:
            hits = await nearby(store, DEMO_PRINCIPAL, 16.69, 98.51, radius_km=25, labels=["Compound"])
        finally:
            await store.close()
        return [(h.node.id, h.lat, h.lon, round(h.distance_km)) for h in hits.hits]

    assert asyncio.run(compounds_near_myawaddy()) == [("cmp-lucky-dragon", 16.76, 98.53, 8),
                                                      ("cmp-mm-kk-park", 16.61, 98.57, 11),
                                                      ("cmp-mm-shwe-kokko", 16.83, 98.53, 16)]
