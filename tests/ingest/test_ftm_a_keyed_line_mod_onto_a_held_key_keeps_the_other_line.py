"""A keyed FtM line MOD'd onto the natural key another line of the source already holds keeps that
line's part of the node: the node names both lines and keeps the other line's holder link, as a
fresh load has them, and the moved line's later DEL leaves the node to the other line (attack round
a-94, 4: the MOD's replace of the source's one statement about the node dropped ``k-2`` from its
``referents``, and ``DEL k-1`` then took the wallet whole with per-2's CONTROLS_WALLET)."""

import pytest
from fresh_load_check import differences, op

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
W1, W2 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
I1, I2 = "DE89370400440532013000", "GB82WEST12345698765432"


def wallet(eid: str, key: str, holder: str = "per-1") -> dict:
    return {"id": eid, "schema": "CryptoWallet",
            "properties": {"publicKey": [key], "currency": ["BTC"], "holder": [holder]}}


def iban(eid: str, number: str) -> dict:
    return {"id": eid, "schema": "BankAccount", "properties": {"iban": [number]}}


TWO_WALLETS = [op("ADD", ANNA), op("ADD", BEA), op("ADD", wallet("k-1", W1)), op("ADD", wallet("k-2", W2, "per-2"))]


async def test_a_wallet_line_modded_onto_a_held_key_leaves_the_node_naming_both_lines(empty_store, tmp_path):
    diff = await differences(empty_store, tmp_path, TWO_WALLETS, [op("MOD", wallet("k-1", W2))])
    assert [d for d in diff if W2 in d] == []


async def test_the_del_of_a_wallet_line_modded_onto_a_held_key_keeps_the_other_holders_link(empty_store, tmp_path):
    diff = await differences(empty_store, tmp_path, TWO_WALLETS, [op("MOD", wallet("k-1", W2))],
                             [op("DEL", wallet("k-1", W2))])
    assert [d for d in diff if W2 in d] == []


async def test_the_del_of_an_iban_line_modded_onto_a_held_account_keeps_the_account(empty_store, tmp_path):
    diff = await differences(empty_store, tmp_path, [op("ADD", iban("k-1", I1)), op("ADD", iban("k-2", I2))],
                             [op("MOD", iban("k-1", I2))], [op("DEL", iban("k-1", I2))])
    assert [d for d in diff if I2 in d] == []


async def test_the_del_of_a_wallet_line_modded_into_a_held_account_keeps_the_account(empty_store, tmp_path):
    diff = await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", wallet("k-1", W1)),
                                                     op("ADD", iban("k-2", I1))],
                             [op("MOD", iban("k-1", I1))], [op("DEL", iban("k-1", I1))])
    assert [d for d in diff if I1 in d] == []
