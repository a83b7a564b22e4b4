"""A line of a keyed FtM schema (CryptoWallet, Address, BankAccount, UserAccount) is stored under its
natural key (``wallet:...``, ``address:...``), its FtM id only in ``referents``. MOD'd to a corrected
key, or as another schema, the node it stated before goes, as a Person line's does (attack round
a-87, 2; a-83, F3: the old node stayed with the line's referent and source, the wallet with its link);
a node another line of the source states too stays, with that line's values only."""

import pytest
from fresh_load_check import differences, graph, load, op
from store_kills import converges_after_each_kill

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
WALLET = {"id": "k-1", "schema": "CryptoWallet", "properties": {
    "currency": ["BTC"], "publicKey": ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"], "holder": ["per-1"]}}
KEYED = {
    "wallet": WALLET,
    "address": {"id": "k-1", "schema": "Address", "properties": {"full": ["1 Main Road, Bangkok"], "country": ["th"]}},
    "account": {"id": "k-1", "schema": "BankAccount", "properties": {"iban": ["DE89370400440532013000"]}},
    "user": {"id": "k-1", "schema": "UserAccount", "properties": {"service": ["telegram"], "username": ["somchai_88"]}},
}
NEW_KEY = {"wallet": {"publicKey": ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"]},
           "address": {"full": ["2 Other Road, Bangkok"]},
           "account": {"iban": ["GB82WEST12345698765432"]},
           "user": {"username": ["somchai_99"]}}
AS_PERSON = {"id": "k-1", "schema": "Person", "properties": {"name": ["Kay"]}}
AS_PASSPORT = {"id": "k-1", "schema": "Passport",
               "properties": {"number": ["AA1"], "country": ["th"], "holder": ["per-1"]}}


@pytest.mark.parametrize("kind", sorted(KEYED))
async def test_a_keyed_line_modded_to_a_new_key_leaves_only_the_new_node(empty_store, tmp_path, kind):
    # the usual correction of a feed: the same line, its key corrected
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", KEYED[kind])],
                             [op("MOD", KEYED[kind], **NEW_KEY[kind])]) == []


@pytest.mark.parametrize("kind", ["wallet", "account"])
@pytest.mark.parametrize("now", [AS_PERSON, AS_PASSPORT], ids=["person", "passport"])
async def test_a_keyed_line_modded_as_another_schema_leaves_no_keyed_node(empty_store, tmp_path, kind, now):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", KEYED[kind])],
                             [op("MOD", now)]) == []


async def test_a_keyed_node_another_line_states_too_keeps_that_lines_values(empty_store, tmp_path):
    # k-2 names the same wallet: the MOD of k-1 to another key takes k-1's referent only
    other = {**WALLET, "id": "k-2", "properties": {**WALLET["properties"], "holder": []}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", WALLET), op("ADD", other)],
                             [op("MOD", WALLET, **NEW_KEY["wallet"])]) == []
    await empty_store.clear()
    await load(empty_store, tmp_path, "a.json", op("ADD", ANNA), op("ADD", WALLET), op("ADD", other))
    await load(empty_store, tmp_path, "b.json", op("MOD", WALLET, **NEW_KEY["wallet"]))
    nodes, _ = await graph(empty_store)
    assert nodes["wallet:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"][1]["referents"] == ["k-2"]


async def test_a_keyed_lines_mod_to_a_new_key_killed_after_any_write_ends_as_one_run(empty_store, tmp_path,
                                                                                       monkeypatch):
    async def start():
        await empty_store.clear()
        await load(empty_store, tmp_path, "add.json", op("ADD", ANNA), op("ADD", WALLET))

    async def run():
        await load(empty_store, tmp_path, "delta.json", op("MOD", WALLET, **NEW_KEY["wallet"]))

    writes = await converges_after_each_kill(empty_store, monkeypatch, start, run, lambda: graph(empty_store))
    assert "ingest/delete_nodes" in writes
    nodes, links = await graph(empty_store)
    assert sorted(nodes) == ["per-1", "wallet:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"]
    assert {(t, a) for t, a, _ in links} == {("CONTROLS_WALLET", "per-1")}
