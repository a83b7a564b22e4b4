"""Line 1 of one day's ``wallets.json`` and line 1 of the next day's have one recordId (the file's
base name and line): two lines of a node so said stay two lines. The DEL of one, in a store loaded
before the lines were marked, keeps the node with the other line (attack round a-115, 1, a
regression vs main: a legacy referent first said at the DEL'd line's recordId was taken as an id
merged into it, and W1 went whole with k-2's note and per-2's CONTROLS_WALLET); its MOD into
another dataset keeps the other line's note."""

import json

import pytest
from fresh_load_check import graph, op

from graphapi.ingest import statement_store
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PEOPLE = [{"id": p, "schema": "Person", "properties": {"name": [p]}} for p in ("per-1", "per-2")]
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(eid: str, notes: str, holder: str, dataset: str = "") -> dict:
    out = {"id": eid, "schema": "CryptoWallet",
           "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": [holder], "notes": [notes]}}
    return {**out, "datasets": [dataset]} if dataset else out


async def _load(store, tmp_path, lines, monkeypatch=None):
    """One day's export, always named ``wallets.json``; with ``monkeypatch``, as a loader from before
    the line marks wrote it (no keyed line noted)."""
    path = tmp_path / "wallets.json"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    with monkeypatch.context() if monkeypatch else _nothing() as m:
        if m is not None:
            note = statement_store.StatementLog.note
            m.setattr(statement_store.StatementLog, "note", lambda self, *a, keyed_line="", **kw: note(self, *a, **kw))
        await run_load(store, FtmReader([path], source="ftm"), source="ftm", viewer="KH-NP",
                       provenance=Provenance("KH-NP", "CLEAR", (), "2026-01-01T00:00:00Z"))


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


async def _w1(store):
    nodes, links = await graph(store)
    w1 = nodes.get(f"wallet:{W1}")
    return (w1[1] if w1 else None), sorted(x for x in links if f"wallet:{W1}" in x)


async def test_the_del_of_a_line_stored_before_the_marks_keeps_a_same_named_files_line(
        empty_store, tmp_path, monkeypatch):
    await empty_store.clear()
    await _load(empty_store, tmp_path, [op("ADD", p) for p in PEOPLE])
    await _load(empty_store, tmp_path, [op("ADD", wallet("k-1", "n1", "per-1"))], monkeypatch)
    await _load(empty_store, tmp_path, [op("ADD", wallet("k-2", "n2", "per-2"))], monkeypatch)
    await _load(empty_store, tmp_path, [op("DEL", wallet("k-1", "n1", "per-1"))])
    w1, links = await _w1(empty_store)
    assert w1 is not None
    said = {w1["notes"], *(json.loads(c)["value"] for c in w1.get("conflicts") or ())}
    assert (w1["referents"], "n2" in said, [x for x in links if "per-2" in x] != []) == (["k-2"], True, True)


async def test_a_lines_mod_into_another_dataset_keeps_a_same_named_files_lines_note(empty_store, tmp_path):
    await empty_store.clear()
    await _load(empty_store, tmp_path, [op("ADD", p) for p in PEOPLE])
    await _load(empty_store, tmp_path, [op("ADD", wallet("k-1", "n1", "per-1"))])
    await _load(empty_store, tmp_path, [op("ADD", wallet("k-2", "n2", "per-2"))])
    await _load(empty_store, tmp_path, [op("MOD", wallet("k-1", "n1b", "per-1", "ds2"))])
    w1, _ = await _w1(empty_store)
    said = {w1["notes"], *(json.loads(c)["value"] for c in w1.get("conflicts") or ())}
    assert (w1["referents"], "n2" in said) == (["k-1", "k-2"], True)
