"""The start's window reads (``repair_premodel_values``) read only what the adoption decides from,
and get past what they cannot read: another agency's hidden records never enlarge the owner's
read, a read past the statement timeout is narrowed as one out of memory is, a one-off failure is
read again before a node is skipped, and the windows after a skipped node span as the first did
(attack round a-117, 2 and 3)."""

from __future__ import annotations

import pytest

from graphapi.ingest.premodel_adoption import repair_premodel_values
from graphapi.ingest.records import NodeRecord
from tests.ingest.test_breaker_checks_widenings import _load, _o

pytestmark = pytest.mark.backends


async def _premodel_nodes(store, n: int) -> list[str]:
    """KH-NP's old k-0 .. k-<n-1> {name, birthPlace}: values, no statement (written before the model)."""
    ids = [f"k-{i}" for i in range(n)]
    await _load(store, "KH-NP", "GREEN", "old", *(NodeRecord("Person", nid, {"name": nid, "birthPlace": "Hue"},
                                                             _o("old", i + 1)) for i, nid in enumerate(ids)))
    await store.write("provenance/delete_statements_about", {"ids": ids})
    return ids


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
