"""Placeholder wallets and e-mails tie nobody (round a-56, F12): the EVM zero address (the "0x0+"
pattern: the guard's key keeps the x, so "0+" missed it), burn addresses, and KYC exports' "no e-mail" fillers
(noemail@gmail.com, none@none.com, na@na.com) are placeholders for the identifier guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphapi.ingest.guard import load_exclusions
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.investigate.shared_ids import shared_identifiers
from graphapi.security import Principal

ZERO = "0x" + "0" * 40
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


@pytest.mark.parametrize(("label", "value"), [
    ("CryptoWallet", ZERO), ("CryptoWallet", "0x000000000000000000000000000000000000dEaD"),
    ("CryptoWallet", "T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb"), ("UserAccount", "noemail@gmail.com"),
    ("UserAccount", "None@None.com"), ("UserAccount", "na@na.com"),
])
def test_a_placeholder_wallet_or_email_is_excluded(label: str, value: str) -> None:
    assert load_exclusions().excluded(label, value)


@pytest.mark.parametrize(("label", "value"), [
    ("CryptoWallet", "0xd5ED34b52AC4ab84d8FA8A231a3218bbF01Ed510"), ("CryptoWallet", "0x" + "0" * 39 + "1"),
    ("UserAccount", "somchai@gmail.com"), ("UserAccount", "nana@gmail.com"),
])
def test_a_real_wallet_or_email_is_not_excluded(label: str, value: str) -> None:
    assert not load_exclusions().excluded(label, value)


@pytest.mark.backends
@pytest.mark.asyncio(loop_scope="session")
async def test_two_people_whose_wallet_is_the_zero_address_are_not_tied(empty_store, tmp_path: Path) -> None:
    docs = [{"id": "p-a", "schema": "Person", "properties": {"name": ["Alice Unrelated"]}},
            {"id": "p-b", "schema": "Person", "properties": {"name": ["Bob Unrelated"]}},
            *({"id": f"w-{p}", "schema": "CryptoWallet",
               "properties": {"publicKey": [ZERO], "currency": ["ETH"], "holder": [f"p-{p}"]}} for p in "ab")]
    f = tmp_path / "w.ftm.json"
    f.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    await run_load(empty_store, FtmReader([f], source="s"), source="s", viewer="TH-DSI",
                   provenance=Provenance("TH-DSI", "GREEN", (), "2026-01-01T00:00:00Z"))
    found = await shared_identifiers(empty_store, TH, ["p-a"])
    assert [(t.a.id, t.b.id) for t in found.ties] == []
