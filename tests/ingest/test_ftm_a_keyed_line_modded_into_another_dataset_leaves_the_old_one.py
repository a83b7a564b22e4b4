"""A keyed FtM line MOD'd into other datasets of its source, keeping its key, leaves the datasets
it no longer names: their statements of the node stop naming it (one naming no line left goes, and
its dataset leaves the node's ``sources``), as a fresh load of the lines left has it (attack round
a-100, 4: ``MOD k-1 [ds2]`` left ds1's statement naming ``k-1``, and after ``DEL k-2 [ds1]`` the
wallet kept ``ftm:ds1``)."""

import pytest
from fresh_load_check import differences, graph, load, op

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(eid: str, *datasets: str) -> dict:
    return {"id": eid, "schema": "CryptoWallet", "datasets": list(datasets),
            "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": ["per-1"]}}


async def test_a_line_modded_into_another_dataset_leaves_the_one_it_no_longer_names(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [
        op("ADD", ANNA), op("ADD", wallet("k-1", "ds1")), op("ADD", wallet("k-2", "ds1"))],
        [op("MOD", wallet("k-1", "ds2"))], [op("DEL", wallet("k-2", "ds1"))]) == []


async def test_the_last_of_two_mods_of_a_line_in_one_load_names_its_datasets(empty_store, tmp_path):
    # a-104, 5: the MODs' datasets were joined, and W1 kept ftm:ds2 after DEL k-2
    assert await differences(empty_store, tmp_path, [
        op("ADD", ANNA), op("ADD", wallet("k-1", "ds1")), op("ADD", wallet("k-2", "ds1"))],
        [op("MOD", wallet("k-1", "ds2")), op("MOD", wallet("k-1", "ds3"))], [op("DEL", wallet("k-2", "ds1"))]) == []


async def test_a_line_deleted_and_added_again_after_its_mod_in_one_load_keeps_the_added_dataset(
        empty_store, tmp_path):
    # a-107, 1: the withdrawal read the MOD's [ds2] as the line's, withdrew the re-ADD's ftm:ds3,
    # and DEL k-2 then took W1 with per-1's CONTROLS_WALLET though k-1 [ds3] is a live line
    assert await differences(empty_store, tmp_path, [
        op("ADD", ANNA), op("ADD", wallet("k-1", "ds1")), op("ADD", wallet("k-2", "ds1"))],
        [op("MOD", wallet("k-1", "ds2")), op("DEL", wallet("k-1", "ds2")), op("ADD", wallet("k-1", "ds3"))],
        [op("DEL", wallet("k-2", "ds1"))]) == []


async def test_an_add_after_a_mod_of_the_line_in_one_load_joins_its_datasets_as_in_a_later_load(
        empty_store, tmp_path):
    # a-107, 1 (LOW): the ADD's ftm:ds3 was withdrawn by the MOD's note; an ADD adds to what the
    # line says, as it does in the next load
    start = [op("ADD", ANNA), op("ADD", wallet("k-1", "ds1"))]
    await empty_store.clear()
    await load(empty_store, tmp_path, "a.json", *start)
    await load(empty_store, tmp_path, "b.json", op("MOD", wallet("k-1", "ds2")), op("ADD", wallet("k-1", "ds3")))
    nodes, _ = await graph(empty_store)
    assert nodes[f"wallet:{W1}"][1]["sources"] == ["ftm", "ftm:ds2", "ftm:ds3"]
