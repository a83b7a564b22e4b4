"""A replace killed after it deleted its statements, before it rebuilt the nodes, is finished by the
next writer (whoever it is), by a worker's start and by its job's failure handling, not only by the
same agency's rerun of the same replace (attack round 23, C5: 3,990 of KH's nodes kept LA's names,
aliases and source, backed by no statement, for every GREEN reader)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest
from ingest_helpers import node_props

import graphapi.ingest.replacement as replacement
import graphapi.ingest.retraction as retraction
from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

KH = Provenance(owner="KH-NP", tlp="GREEN", seen="2026-01-01T00:00:00")
LA = Provenance(owner="LA-MPS", tlp="GREEN", seen="2026-02-01T00:00:00")
LA_SOURCE = "kill@LA-MPS"


def _person(i: int, tag: str) -> dict:
    return {"id": f"per-{i}", "schema": "Person",
            "properties": {"name": [f"Kill {tag} {i}"], "alias": [f"K-{i}-{tag}"]}}


def _ftm(tmp_path: Path, name: str, docs: list[dict], source: str) -> FtmReader:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return FtmReader([path], source=source)


async def _shared_then_killed_replace(store, tmp_path: Path, monkeypatch) -> None:
    """KH and LA both assert per-0 and per-1; LA's replace keeps per-1 and dies after deleting
    its statement about per-0, before rebuilding it."""
    await store.clear()
    await run_load(store, _ftm(tmp_path, "kh.json", [_person(0, "kh"), _person(1, "kh")], "kh"),
                   source="kh", provenance=KH)
    await run_load(store, _ftm(tmp_path, "la.json", [_person(0, "la"), _person(1, "la")], LA_SOURCE),
                   source=LA_SOURCE, provenance=LA)

    async def killed(*args, **kwargs):
        raise OSError("killed")  # as a kill -9 here: LA's statement gone, per-0 not rebuilt

    with monkeypatch.context() as m:
        m.setattr(retraction, "rebuild_values", killed)
        with pytest.raises(OSError):
            await run_load(store, _ftm(tmp_path, "la2.json", [_person(1, "la")], LA_SOURCE),
                           source=LA_SOURCE, provenance=LA, replace=True)
    left = await node_props(store, "per-0")
    assert LA_SOURCE in left["sources"] and "K-0-la" in left["alias"]  # the state the kill leaves


async def _as_kh_alone(store, node_id: str = "per-0") -> tuple:
    stored = await node_props(store, node_id)
    return stored["name"], stored.get("alias"), stored["sources"]


async def test_another_agencys_load_finishes_a_replace_killed_before_its_rebuild(backend_empty_store, tmp_path,
                                                                                 monkeypatch):
    store = backend_empty_store
    await _shared_then_killed_replace(store, tmp_path, monkeypatch)
    other = await run_load(store, _ftm(tmp_path, "kh2.json", [_person(7, "kh")], "kh"), source="kh",
                           provenance=KH)
    assert await _as_kh_alone(store) == ("Kill kh 0", ["K-0-kh"], ["kh"])
    assert await store.read("ingest/pending_retractions", {}) == []
    assert other.statements_retracted == 0  # LA's retraction is not counted as KH's


async def test_a_workers_start_finishes_a_replace_killed_before_its_rebuild(backend_empty_store, tmp_path,
                                                                            monkeypatch):
    store = backend_empty_store
    await _shared_then_killed_replace(store, tmp_path, monkeypatch)
    assert await finish_pending_now(store) == 1
    assert await _as_kh_alone(store) == ("Kill kh 0", ["K-0-kh"], ["kh"])
    assert await finish_pending_now(store) == 0  # idempotent: nothing left


async def test_the_rerun_counts_the_statements_the_killed_run_deleted(backend_empty_store, tmp_path, monkeypatch):
    store = backend_empty_store
    await _shared_then_killed_replace(store, tmp_path, monkeypatch)
    rerun = await run_load(store, _ftm(tmp_path, "la2.json", [_person(1, "la")], LA_SOURCE),
                           source=LA_SOURCE, provenance=LA, replace=True)
    assert (rerun.statements_retracted, rerun.nodes_retracted) == (1, 1)
    assert await _as_kh_alone(store) == ("Kill kh 0", ["K-0-kh"], ["kh"])


async def test_a_node_left_with_no_statement_by_a_killed_del_goes_when_finished(backend_empty_store, tmp_path,
                                                                                monkeypatch):
    store = backend_empty_store
    await run_load(store, _ftm(tmp_path, "la.json", [_person(0, "la"), _person(1, "la")], LA_SOURCE),
                   source=LA_SOURCE, provenance=LA)
    write = store.write

    async def killed_after_delete(name, params, **kw):
        rows = await write(name, params, **kw)
        if name == "provenance/retract_statements":
            raise OSError("killed")  # the statement went; the node was not deleted
        return rows

    with monkeypatch.context() as m:
        m.setattr(store, "write", killed_after_delete)
        with pytest.raises(OSError):
            await run_load(store, _ftm(tmp_path, "la2.json", [_person(1, "la")], LA_SOURCE),
                           source=LA_SOURCE, provenance=LA, replace=True)
    assert await finish_pending_now(store) == 1
    assert await node_props(store, "per-0") == {}
    assert (await node_props(store, "per-1"))["name"] == "Kill la 1"


async def test_a_replace_killed_after_trimming_a_statement_is_rebuilt_by_a_workers_start(backend_empty_store,
                                                                                          tmp_path, monkeypatch):
    store = backend_empty_store
    await run_load(store, _ftm(tmp_path, "la.json", [_person(0, "la")], LA_SOURCE), source=LA_SOURCE, provenance=LA)
    renamed = {**_person(0, "la"), "properties": {"name": ["Renamed 0"]}}

    async def killed(*args, **kwargs):
        raise OSError("killed")  # LA's statement trimmed to the new name; the node not rebuilt

    with monkeypatch.context() as m:
        m.setattr(replacement, "rebuild_values", killed)
        with pytest.raises(OSError):
            await run_load(store, _ftm(tmp_path, "la2.json", [renamed], LA_SOURCE), source=LA_SOURCE,
                           provenance=LA, replace=True)
    assert await finish_pending_now(store) == 1
    stored = await node_props(store, "per-0")
    assert (stored["name"], stored.get("alias"), stored.get("conflicts")) == ("Renamed 0", None, None)


async def test_a_kill_9_of_a_replace_job_while_it_retracts_leaves_no_unbacked_value(backend_empty_store,
                                                                                    tmp_path: Path):
    store = backend_empty_store
    n = 1500
    await run_load(store, _ftm(tmp_path, "kh.json", [_person(i, "kh") for i in range(n)], "kh"), source="kh",
                   provenance=KH)
    la = tmp_path / "la.json"
    la.write_text("".join(json.dumps(_person(i, "la")) + "\n" for i in range(n)))
    await run_load(store, FtmReader([la], source=LA_SOURCE), source=LA_SOURCE, provenance=LA)
    kept = tmp_path / "la2.json"
    kept.write_text(json.dumps(_person(0, "la")) + "\n")
    job = LoadJobs().start(store, "ftm", [kept], owner="LA-MPS", tlp="GREEN", source="kill", replace=True)
    marked = False
    for _ in range(6000):  # the job's process is killed while a batch is marked pending
        if job.worker_pid and await store.read("ingest/pending_retractions", {}):
            os.kill(job.worker_pid, signal.SIGKILL)
            marked = True
            break
        if job.finished:
            break
        await asyncio.sleep(0.01)
    await asyncio.wait_for(job.task, 120)
    assert marked, f"the job ended before a batch was marked: {job.state} {job.summary}"
    assert job.state == "failed"
    assert await store.read("ingest/pending_retractions", {}) == []  # finished by the job's failure handling
    rows = await store.read("ingest/existing_nodes", {"ids": [f"per-{i}" for i in range(1, n)]})
    unbacked = [r["id"] for r in rows if r["props"].get("alias") != [f"K-{r['id'][4:]}-kh"]
                or r["props"].get("sources") != ["kh"]]
    assert (len(rows), unbacked) == (n - 1, [])
