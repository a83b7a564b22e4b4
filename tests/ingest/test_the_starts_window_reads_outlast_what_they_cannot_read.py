"""The start's window reads (``repair_premodel_values``) read only what the adoption decides from,
and get past what they cannot read: another agency's hidden records never enlarge the owner's
read, a read past the statement timeout is narrowed as one out of memory is, a one-off failure is
read again before a node is skipped, and the windows after a skipped node span as the first did
(attack round a-117, 2 and 3)."""

from __future__ import annotations

import pytest

from graphapi.ingest.premodel_adoption import repair_premodel_values
from graphapi.ingest.records import NodeRecord
from graphapi.store.errors import StoreTimeout, StoreUnavailable
from tests.ingest.test_breaker_checks_widenings import _load, _o

pytestmark = pytest.mark.backends


async def _premodel_nodes(store, n: int) -> list[str]:
    """KH-NP's old k-0 .. k-<n-1> {name, birthPlace}: values, no statement (written before the model)."""
    ids = [f"k-{i}" for i in range(n)]
    await _load(store, "KH-NP", "GREEN", "old", *(NodeRecord("Person", nid, {"name": nid, "birthPlace": "Hue"},
                                                             _o("old", i + 1)) for i, nid in enumerate(ids)))
    await store.write("provenance/delete_statements_about", {"ids": ids})
    return ids


def _failing_at_k1(store, monkeypatch, error: Exception, times: int | None = None) -> tuple[list[int], list[int]]:
    """Window reads spanning k-1 fail with ``error`` (``times`` times, else always); returns the
    limits read and those that failed."""
    read, limits, failed = store.read, [], []

    async def failing(name, params=None, *args, **kwargs):
        rows = await read(name, params, *args, **kwargs)
        if name == "schema/premodel_values_window":
            limits.append(params["limit"])
            if any(n["id"] == "k-1" for n in rows[0]["nodes"]) and (times is None or len(failed) < times):
                failed.append(params["limit"])
                raise error
        return rows
    monkeypatch.setattr(store, "read", failing)
    return limits, failed


async def test_another_agencys_hidden_records_are_not_read_with_the_owners_node(empty_store, monkeypatch):
    # TH-DSI's RED records on KH-NP's old k-1 were read with it, so enough of them made the read
    # fail and the start skip k-1, its old values then lost at TH-DSI's DEL (a-117, 2)
    await _premodel_nodes(empty_store, 1)
    for j in range(3):
        await _load(empty_store, "TH-DSI", "RED", f"th{j}", NodeRecord("Person", "k-0", {"nationality": ["TH"]},
                                                                       _o(f"th{j}", 1)))
    read, said = empty_store.read, []

    async def spying(name, params=None, *args, **kwargs):
        rows = await read(name, params, *args, **kwargs)
        if name == "schema/premodel_values_window":
            said.extend(len(n["said"]) for n in rows[0]["nodes"] if n["id"] == "k-0")
        return rows
    monkeypatch.setattr(empty_store, "read", spying)
    assert (await repair_premodel_values(empty_store), said) == (1, [0])


async def test_a_window_read_past_the_statement_timeout_is_narrowed_then_its_node_skipped(empty_store, monkeypatch):
    # the stores raise StoreTimeout for a read past the statement timeout (FalkorDB's "Query timed
    # out", Neo4j's TransactionTimedOut), which the start did not catch: it failed, every start (a-117, 3)
    await _premodel_nodes(empty_store, 3)
    _, failed = _failing_at_k1(empty_store, monkeypatch, StoreTimeout("Query timed out"))
    assert (await repair_premodel_values(empty_store, batch=4), failed[-2:]) == (2, [2, 1])


async def test_a_one_node_read_failing_once_is_read_again_not_skipped(empty_store, monkeypatch):
    # a lost connection on a one-node window skipped that node for good, its old values unadopted (a-117, 2)
    await _premodel_nodes(empty_store, 3)
    _failing_at_k1(empty_store, monkeypatch, StoreUnavailable("connection lost"), times=1)
    assert await repair_premodel_values(empty_store, batch=1) == 3


async def test_the_windows_after_a_skipped_node_span_as_the_first_did(empty_store, monkeypatch):
    # after one skipped node every later window spanned one node: one per read for the rest of the
    # graph (a-117, 2)
    await _premodel_nodes(empty_store, 12)
    limits, _ = _failing_at_k1(empty_store, monkeypatch, StoreUnavailable("out of memory"))
    assert await repair_premodel_values(empty_store, batch=4) == 11
    after_skip = limits[len(limits) - limits[::-1].index(1):]
    assert after_skip and set(after_skip) == {4}
