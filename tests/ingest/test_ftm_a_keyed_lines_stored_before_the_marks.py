"""A keyed node's statement stored before lines were marked (no ``lineReferent``: its referents
name its lines and the ids FtM merged into them alike) loses, with a line's DEL, every referent the
DEL's record names, as the DEL took them then; a new line marked beside them does not make the
merged ids lines (attack round a-104, 2: the DEL took only the line's own id, and the merged ``r-1``
kept W1 for good, also once ``k-2``'s ADD had marked ``r-1`` as a line)."""

import pytest
from fresh_load_check import graph, load, op, unmark_lines

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(eid: str, merged: tuple[str, ...] = (), **props: list[str]) -> dict:
    out = {"id": eid, "schema": "CryptoWallet",
           "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": ["per-1"], **props}}
    return {**out, "referents": list(merged)} if merged else out


async def _load_unmarked(store, tmp_path, *lines) -> None:
    """Load ``lines`` into a cleared store, then drop the line marks: the statements as a store
    loaded before them holds them."""
    await store.clear()
    await load(store, tmp_path, "a.json", *lines)
    await unmark_lines(store)


async def test_the_del_naming_the_merged_ids_of_a_line_stored_before_the_marks_takes_its_node(empty_store, tmp_path):
    await _load_unmarked(empty_store, tmp_path, op("ADD", ANNA), op("ADD", wallet("k-1", merged=("r-1",))))
    await load(empty_store, tmp_path, "b.json", op("DEL", wallet("k-1", merged=("r-1",))))
    nodes, links = await graph(empty_store)
    assert sorted(nodes) == ["per-1"] and links == set()


async def test_a_new_lines_add_leaves_the_merged_ids_of_a_line_stored_before_the_marks_no_lines(
        empty_store, tmp_path):
    await _load_unmarked(empty_store, tmp_path, op("ADD", ANNA), op("ADD", wallet("k-1", merged=("r-1",))))
    await load(empty_store, tmp_path, "b.json", op("ADD", wallet("k-2")))
    await load(empty_store, tmp_path, "c.json", op("DEL", wallet("k-1", merged=("r-1",))))
    await load(empty_store, tmp_path, "d.json", op("DEL", wallet("k-2")))
    nodes, links = await graph(empty_store)
    assert sorted(nodes) == ["per-1"] and links == set()



async def test_a_mod_with_new_merged_ids_replaces_the_old_ones_of_its_line_stored_before_the_marks(
        empty_store, tmp_path):
    # a-107, 2: FtM's dedupe changed r-1 to r-2; the MOD took r-1, said by k-1's own record, for
    # another line and merged, and after the DEL W1 stayed for good with referents [r-1, r-2]
    bea = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
    await _load_unmarked(empty_store, tmp_path, op("ADD", ANNA), op("ADD", bea),
                         op("ADD", wallet("k-1", merged=("r-1",))))
    await load(empty_store, tmp_path, "b.json", op("MOD", wallet("k-1", merged=("r-2",), holder=["per-2"])))
    nodes, _ = await graph(empty_store)
    assert nodes[f"wallet:{W1}"][1]["referents"] == ["k-1", "r-2"]
    await load(empty_store, tmp_path, "c.json", op("DEL", wallet("k-1", merged=("r-2",), holder=["per-2"])))
    nodes, links = await graph(empty_store)
    assert sorted(nodes) == ["per-1", "per-2"] and links == set()
