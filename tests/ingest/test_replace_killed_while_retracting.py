"""A whole-source replace killed while it retracts (after the load closed: its statements trimmed,
the node's values not yet rebuilt) converges when run again: the value the source no longer gives
goes (attack round 4, H2: the rerun found the statement already trimmed, skipped the node, and the
dropped name stayed on it for good, as its ``name`` or a conflict)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import node_props

import graphapi.ingest.replacement as replacement
import graphapi.ingest.retraction as retraction
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.asyncio(loop_scope="session")

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00")
LATER = Provenance(owner="public", tlp="CLEAR", seen="2026-03-01T00:00:00")
A = {"id": "per-a", "schema": "Person", "properties": {"name": ["Alpha"]}}
RENAMED = {**A, "properties": {"name": ["Alpha Renamed"]}}


def _ftm(tmp_path: Path, name: str, *docs: dict, source: str = "ftm") -> FtmReader:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return FtmReader([path], source=source)


async def _killed(*args, **kwargs):
    raise OSError("killed")  # the process dies here: statements trimmed, values not rebuilt


async def _replace_killed_then_run_again(store, path: Path, monkeypatch, target, name: str, killer) -> None:
    """A replace of ``path`` dies where ``target.name`` (patched to ``killer``) is called; then
    the same replace runs again to its end."""
    with monkeypatch.context() as m:
        m.setattr(target, name, killer)
        with pytest.raises(OSError):
            await run_load(store, path, source="ftm", provenance=LATER, replace=True)
    await run_load(store, path, source="ftm", provenance=LATER, replace=True)


async def test_a_replace_killed_before_rebuilding_values_drops_the_old_name_when_run_again(
        any_store, tmp_path: Path, monkeypatch) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "v1.json", A), source="ftm", provenance=PUBLIC)
    await _replace_killed_then_run_again(any_store, _ftm(tmp_path, "v2.json", RENAMED), monkeypatch,
                                         replacement, "rebuild_values", _killed)
    stored = await node_props(any_store, "per-a")
    assert (stored["name"], stored.get("conflicts")) == ("Alpha Renamed", None)


async def test_a_replace_killed_before_withdrawing_a_dataset_drops_its_values_when_run_again(
        any_store, tmp_path: Path, monkeypatch) -> None:
    await any_store.clear()
    d1 = {"id": "per-a", "schema": "Person", "datasets": ["d1"], "properties": {"name": ["Alpha"]}}
    d2 = {**d1, "datasets": ["d2"], "properties": {"name": ["Alpha"], "notes": ["said by d2 alone"]}}
    await run_load(any_store, _ftm(tmp_path, "v1.json", d1, d2), source="ftm", provenance=PUBLIC)
    write = any_store.write

    async def killed_withdrawing(name, params, **kw):
        if name == "ingest/retract_nodes":
            raise OSError("killed")  # d2's statement deleted, d2 still in the node's sources
        return await write(name, params, **kw)

    await _replace_killed_then_run_again(any_store, _ftm(tmp_path, "v2.json", d1), monkeypatch,
                                         any_store, "write", killed_withdrawing)
    stored = await node_props(any_store, "per-a")
    assert (stored["name"], stored.get("notes")) == ("Alpha", None)


async def test_a_replace_killed_while_retracting_a_node_it_no_longer_names_drops_its_values_when_run_again(
        any_store, tmp_path: Path, monkeypatch) -> None:
    await any_store.clear()
    other = {"id": "per-a", "schema": "Person", "properties": {"name": ["Alpha"]}}
    await run_load(any_store, _ftm(tmp_path, "other.json", other, source="other"), source="other", provenance=PUBLIC)
    said = {**other, "properties": {"name": ["Alpha"], "notes": ["said by ftm alone"]}}
    b = {"id": "per-b", "schema": "Person", "properties": {"name": ["Beta"]}}
    await run_load(any_store, _ftm(tmp_path, "v1.json", said, b), source="ftm", provenance=PUBLIC)
    await _replace_killed_then_run_again(any_store, _ftm(tmp_path, "v2.json", b), monkeypatch,
                                         retraction, "rebuild_values", _killed)
    stored = await node_props(any_store, "per-a")
    assert (stored["name"], stored.get("notes"), stored["sources"]) == ("Alpha", None, ["other"])
