"""A DEL of a record about another agency's node hidden from the loader, which the DEL's source
never stated, makes the same store writes whether that node is absent or stated by its owner: it
took no statement there, so it rebuilds nothing there. Before, the rebuild after the DEL rewrote
KH-NP's hidden k-1 from its statements (``ingest/replace_node_properties``): one more round trip
when the node existed, a timing hit on another agency's hidden node, and a foreign load writing it
(attack round a-106, 1)."""

from __future__ import annotations

import pytest

from graphapi.ingest.records import NodeRecord
from tests.ingest.test_breaker_checks_widenings import _load, _o
from tests.store_kills import die_after_nth_write

pytestmark = pytest.mark.backends


async def _del_writes(store, monkeypatch, kh_np_states_k1: bool, tlp: str) -> list[str]:
    """The writes of VN-MPS's DEL of its k-1 record (it never stated k-1)."""
    await store.clear()
    if kh_np_states_k1:
        await _load(store, "KH-NP", tlp, "old", NodeRecord("Person", "k-1", {"name": "k one", "birthPlace": "Hue"},
                                                            _o("old", 1)))
    with monkeypatch.context() as m:
        writes = die_after_nth_write(store, m, 0)
        await _load(store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "k-1", {}, _o("vn", 1), op="delete"))
    return list(writes)


@pytest.mark.parametrize("tlp", ["RED", "AMBER"])
async def test_a_del_about_a_hidden_node_it_never_stated_writes_as_if_the_node_were_absent(empty_store, monkeypatch,
                                                                                            tlp):
    absent = await _del_writes(empty_store, monkeypatch, False, tlp)
    assert await _del_writes(empty_store, monkeypatch, True, tlp) == absent
    assert "ingest/replace_node_properties" not in absent
