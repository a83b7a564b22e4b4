"""The app `lintas serve` runs tunes the garbage collector for a long-lived server once start-up is
done; the app the tests build keeps Python's defaults."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import pytest

from graphapi.serving import SERVE_GC_THRESHOLDS, SERVED_APP, create_served_app
from graphapi.settings import get_settings


@pytest.fixture
def restored_gc(monkeypatch: pytest.MonkeyPatch):
    from graphapi.ingest import load_gc

    monkeypatch.setattr(load_gc, "_served", load_gc._served)  # the served app says so for good
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_served_app_freezes_start_up_objects_and_raises_gc_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restored_gc: None
) -> None:
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    app = create_served_app()
    get_settings.cache_clear()
    seen: dict[str, object] = {}

    async def start_and_stop() -> None:
        seen["before"] = gc.get_threshold()
        async with app.router.lifespan_context(app):
            seen["serving"] = gc.get_threshold()
            seen["frozen"] = gc.get_freeze_count()

    asyncio.run(start_and_stop())
    assert seen["before"] != SERVE_GC_THRESHOLDS
    assert seen["serving"] == SERVE_GC_THRESHOLDS
    assert seen["frozen"] > 10_000


def test_bench_api_server_runs_the_app_lintas_serve_runs() -> None:
    from graphapi.bench.api import ApiServer

    # the bench's HTTP figures are those of the served app, GC tuning included (issue 14)
    command = ApiServer({}, Path("api.log")).command()
    assert command[command.index("uvicorn") + 1] == SERVED_APP == "graphapi.serving:create_served_app"
    assert command[command.index("uvicorn") + 2] == "--factory"
