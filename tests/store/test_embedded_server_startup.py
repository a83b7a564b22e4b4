"""Start-up of the embedded server waits for a replay that progresses, however long it takes, and
gives up only on one that stalls (``embedded_server.wait_until_ready``; fake clock, fake probes).

Before: start-up killed the server after a fixed 90 s, and a replay of ~210 s after an early
crash in a big load never finished: each client started it again from zero.
"""

from __future__ import annotations

import asyncio
import json
import subprocess

import pytest

from graphapi.store import embedded_server as es
from graphapi.store.errors import StoreUnavailable
from graphapi.store.falkordb import EmbeddedStore


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _replay(clock: FakeClock, ready_at: float, step_s: float, stall_from: float | None = None):
    """A probe of a server that loads 1 MB every ``step_s`` seconds until ``ready_at``, or stops
    moving at ``stall_from``."""
    def probe() -> es.Probe:
        t = clock.now if stall_from is None else min(clock.now, stall_from)
        if clock.now >= ready_at:
            return es.Probe(ready=True)
        loaded = int(t // step_s)
        return es.Probe(False, (loaded, None), f"loading its data: {loaded} MB")
    return probe


def test_wait_until_ready_waits_for_a_replay_longer_than_the_stall_limit_while_it_progresses():
    clock = FakeClock()
    es.wait_until_ready(_replay(clock, ready_at=600.0, step_s=5.0), lambda: True, "server",
                        stall_s=120.0, clock=clock, sleep=clock.sleep)
    assert clock.now >= 600.0


def test_wait_until_ready_gives_up_after_the_stall_limit_without_progress_and_says_how_far_it_got():
    clock = FakeClock()
    with pytest.raises(StoreUnavailable, match=r"server made no progress for 120 s while starting "
                                               r"\(loading its data: 6 MB\)"):
        es.wait_until_ready(_replay(clock, ready_at=10_000.0, step_s=5.0, stall_from=30.0), lambda: True,
                            "server", stall_s=120.0, clock=clock, sleep=clock.sleep)
    assert 150.0 <= clock.now < 151.0


def test_wait_until_ready_counts_cpu_time_as_progress_when_the_server_does_not_answer():
    clock = FakeClock()
    ticks = iter(range(10**6))

    def busy() -> es.Probe:  # too busy replaying to answer INFO, but burning CPU
        if clock.now >= 400.0:
            return es.Probe(ready=True)
        return es.Probe(False, (None, next(ticks)), "not answering (TimeoutError)")
    es.wait_until_ready(busy, lambda: True, "server", stall_s=120.0, clock=clock, sleep=clock.sleep)
    assert clock.now >= 400.0


def test_wait_until_ready_stops_at_once_when_the_server_exits():
    clock = FakeClock()
    with pytest.raises(StoreUnavailable, match="server exited while starting"):
        es.wait_until_ready(_replay(clock, 600.0, 5.0), lambda: clock.now < 3.0, "server",
                            clock=clock, sleep=clock.sleep)
    assert clock.now < 4.0


def test_probe_reads_loading_progress_from_info_persistence(monkeypatch):
    class FakeRedis:
        def __init__(self, **_kwargs) -> None:
            pass

        def execute_command(self, *args):
            assert args == ("INFO", "persistence")
            return {"loading": 1, "loading_loaded_bytes": 1048576, "loading_loaded_perc": 12.5}

        def close(self) -> None:
            pass

    monkeypatch.setattr(es.redis, "Redis", FakeRedis)
    seen = es.probe_server("/nowhere.sock", 1)
    assert not seen.ready
    assert seen.progress[0] == (1048576, 12.5)
    assert seen.detail == "loading its data: 12.5% (1048576 bytes) loaded"


@pytest.mark.asyncio(loop_scope="session")
async def test_a_client_waits_for_the_server_another_client_launched_instead_of_starting_a_second(tmp_path):
    store = await EmbeddedStore.open(tmp_path)
    try:
        server = store.server
        record = json.loads((tmp_path / "server.json").read_text())
        assert record == {"pid": server.pid, "socket": server.socket}
        # a second client while the first server runs: attaches to it (one server, same pid)
        second = await asyncio.to_thread(es.ensure_server, tmp_path)
        assert second == server
    finally:
        await store.close()
    assert not es.pid_alive(server.pid)


def test_a_server_that_exits_while_starting_is_reported_with_its_log(tmp_path, monkeypatch):
    real_popen = subprocess.Popen

    def broken(args, **kwargs):  # the server refuses an option and exits at once
        return real_popen([*args, "--no-such-option", "1"], **kwargs)
    monkeypatch.setattr(es.subprocess, "Popen", broken)
    with pytest.raises(StoreUnavailable, match=r"exited while starting \(exit code 1\); see .*falkordb.log"):
        es.ensure_server(tmp_path)
    assert not (tmp_path / "server.json").exists()


@pytest.mark.asyncio(loop_scope="session")
async def test_init_schema_of_a_new_data_directory_leaves_the_schema_in_a_snapshot_not_in_statements(tmp_path):
    store = await EmbeddedStore.open(tmp_path)
    try:
        assert await store.init_schema()
        aof_dir = tmp_path / "appendonlydir"
        increments = [p for p in aof_dir.iterdir() if ".incr." in p.name]
        base = [p for p in aof_dir.iterdir() if ".base." in p.name]
        # no schema statement left to replay (a busy server may log a small command after the
        # rewrite: once 140 bytes in CI, which is no index or constraint)
        [tail] = [p.read_bytes().decode("utf-8", "replace") for p in increments]
        assert not any(word in tail.upper() for word in ("INDEX", "CONSTRAINT", "FULLTEXT")), tail
        assert base[0].name.endswith(".rdb") and base[0].stat().st_size > 0
    finally:
        await store.close()
