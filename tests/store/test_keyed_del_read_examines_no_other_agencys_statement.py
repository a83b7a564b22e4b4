"""The keyed line DEL's read of its owner's statements of a node (provenance/source_statements_about)
seeks them by entity and owner at once, so another agency's statements of the node cost it nothing:
it sought by entity and filtered the owner after, and TH-DSI's hidden RED line in 60 datasets made
KH-NP's read examine 61 rows for 1 (attack round a-104, 4: the work, and so the time, of KH-NP's
DEL told of TH-DSI's hidden data). Asserted on the rows each operator of the profiled plan produced."""

import json

import pytest
from operator_rows import rows_per_operator

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def _wallet(eid: str, *datasets: str) -> dict:
    return {"op": "ADD", "entity": {"id": eid, "schema": "CryptoWallet", "datasets": list(datasets),
                                    "properties": {"publicKey": [W1], "currency": ["BTC"]}}}


async def _rows_read(store, tmp_path, hidden: int) -> dict[str, int]:
    """The rows of KH-NP's read of its statements of W1 once TH-DSI's RED line states W1 in
    ``hidden`` datasets (none: no TH-DSI line)."""
    await store.clear()
    for agency, tlp, line in [("KH-NP", "CLEAR", _wallet("k-1")),
                              *([("TH-DSI", "RED", _wallet("t-9", *(f"d{i}" for i in range(hidden))))] if hidden
                                else [])]:
        path = tmp_path / f"{agency}.json"
        path.write_text(json.dumps(line) + "\n", encoding="utf-8")
        await run_load(store, FtmReader([path], source=f"ftm@{agency}"), source=f"ftm@{agency}", viewer=agency,
                       provenance=Provenance(agency, tlp, (), "2026-01-01T00:00:00Z"))
    return await rows_per_operator(store, "provenance/source_statements_about", {
        "rows": [{"id": f"wallet:{W1}", "sources": ["ftm@KH-NP"]}], "owner": "KH-NP"})


async def test_the_keyed_del_read_examines_as_many_rows_whatever_another_agency_says_of_the_node(
        empty_store, tmp_path):
    alone = await _rows_read(empty_store, tmp_path, 0)
    assert await _rows_read(empty_store, tmp_path, 60) == alone
