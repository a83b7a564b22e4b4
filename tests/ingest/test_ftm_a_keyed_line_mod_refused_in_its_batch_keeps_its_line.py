"""A keyed line's record refused within its batch, as its node's id came first there with another
label, changes nothing the line's MOD in the load withdraws at close: an ADD of the line after its
MOD, refused so, keeps none of the datasets it names (attack round a-113, 4: that refusal left its
datasets noted as the line's, and the line's old version stayed in one the MOD had left, as a-110,
5 had it for a record the flush refused)."""

import pytest
from fresh_load_check import PROV, graph, load, op

from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Writer

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
WID = f"wallet:{W1}"


def _line(dataset: str, notes: str) -> dict:
    return {"sources": ["ftm", f"ftm:{dataset}"], "address": W1, "chain": ["BTC"], "network": "bitcoin",
            "referents": ["k-1"], "notes": notes}


async def test_a_keyed_lines_add_refused_for_its_batchs_other_label_keeps_no_dataset_its_mod_left(
        empty_store, tmp_path):
    await empty_store.clear()
    wallet = {"id": "k-1", "schema": "CryptoWallet", "datasets": ["ds1", "ds3"],
              "properties": {"publicKey": [W1], "currency": ["BTC"], "notes": ["old"]}}
    await load(empty_store, tmp_path, "a.json", op("ADD", ANNA), op("ADD", wallet))
    writer = Writer(empty_store, provenance=PROV, source="ftm")
    await writer.add(NodeRecord("CryptoWallet", WID, _line("ds2", "new"), Origin("ftm", "b.json", 1),
                                op="replace", keyed_line="k-1"))
    await writer.flush_nodes()  # the MOD written: the next records are a batch of their own
    await writer.add(NodeRecord("BankAccount", WID, {"sources": ["ftm"]}, Origin("ftm", "b.json", 2)))
    await writer.add(NodeRecord("CryptoWallet", WID, _line("ds3", "readd"), Origin("ftm", "b.json", 3),
                                keyed_line="k-1"))
    await writer.close()
    w1 = (await graph(empty_store))[0][WID][1]
    assert (w1["sources"], w1["notes"], w1.get("conflicts")) == (["ftm", "ftm:ds2"], "new", None)
