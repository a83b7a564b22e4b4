"""The ids FtM merged into a keyed line (the line's own ``referents``) are no lines of the source:
they are stored in the node's ``referents`` beside the line's id, but only the line's id keeps the
node for that line (attack round a-100, 2: a merged id kept a node no line states any more, a DEL
naming another line's id as a merged one took that line's part with its holder link, and a MOD of
the line merged into its old version rather than replacing it)."""

import pytest
from fresh_load_check import differences, load, op, unmark_lines

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(eid: str, holder: str = "per-1", merged: tuple[str, ...] = (), **props: list[str]) -> dict:
    out = {"id": eid, "schema": "CryptoWallet",
           "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": [holder], **props}}
    return {**out, "referents": list(merged)} if merged else out


async def test_the_del_of_the_only_line_of_a_key_takes_its_node_though_ids_were_merged_into_the_line(
        empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", wallet("k-1", merged=("r-1",)))],
                             [op("DEL", wallet("k-1"))]) == []


async def test_the_del_of_a_line_naming_another_line_as_merged_keeps_that_lines_node_and_link(
        empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [
        op("ADD", ANNA), op("ADD", BEA), op("ADD", wallet("k-1", merged=("k-2",))),
        op("ADD", wallet("k-2", holder="per-2"))], [op("DEL", wallet("k-1", merged=("k-2",)))]) == []


async def test_a_mod_of_a_line_with_merged_ids_replaces_its_old_values(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [
        op("ADD", ANNA), op("ADD", wallet("k-1", merged=("r-1",), balance=["5"]))],
        [op("MOD", wallet("k-1", balance=["7"]))]) == []


async def test_a_line_stated_before_lines_were_marked_keeps_its_node_after_another_lines_add_and_del(
        empty_store, tmp_path):
    await empty_store.clear()
    await load(empty_store, tmp_path, "a.json", op("ADD", ANNA), op("ADD", BEA), op("ADD", wallet("k-1")))
    await unmark_lines(empty_store)  # the statement as a store written before the marks holds it
    await load(empty_store, tmp_path, "b.json", op("ADD", wallet("k-2", holder="per-2")))
    await load(empty_store, tmp_path, "c.json", op("DEL", wallet("k-2", holder="per-2")))
    [node] = await empty_store.read("ingest/existing_nodes", {"ids": [f"wallet:{W1}"]})
    assert node["props"]["referents"] == ["k-1"]
