"""A link entity with several parties (yente Parteispenden line 171: one 100,000 EUR Payment to two
beneficiaries) is one relationship per pair, as FtM's graph export draws it, each with the
entity's whole amount or share and ``sharedBy`` n, so a total counts the payment once by its
``txId`` (attack round 37, issue 13: it was 200,000 EUR out of the payer, nothing said why)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import data_dir, ftm_file

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord
from graphapi.ingest.writer import Provenance
from graphapi.investigate.money import money_trail
from graphapi.security import Principal

PARTEI = data_dir("ftm") / "yente_parteispenden_entities.ftm.json"
PAYMENT = "98a5b377dffde7307e265a7cc928297e318daaef"  # line 171: amountEur 100000, two beneficiaries
PAYER = "281d01c426ce39ddf80aa0e46574843c1ba8bfc9"
PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")



def _transfers(path: Path) -> list[EdgeRecord]:
    return [i for i in FtmReader([path]).records() if isinstance(i, EdgeRecord) and i.type == "TRANSFERRED_TO"]


def test_a_payment_to_two_beneficiaries_is_one_transfer_to_each_with_the_whole_amount_shared_by_two() -> None:
    mine = [t for t in _transfers(PARTEI) if t.properties["txId"] == PAYMENT]
    assert sorted(t.end for t in mine) == ["c326dd8021ee75fe9608f31ecb4e2e7388144102", "fake-org"]
    assert {t.start for t in mine} == {PAYER}
    assert [(t.properties["amount"], t.properties["currency"], t.properties["sharedBy"]) for t in mine] == [
        (100000.0, "EUR", 2), (100000.0, "EUR", 2)]


def test_the_transfers_of_the_file_counted_once_by_txid_sum_to_its_payments_amounts() -> None:
    payments = [json.loads(x) for x in PARTEI.open(encoding="utf-8") if '"schema": "Payment"' in x
                or '"schema":"Payment"' in x]
    paid = sum(float((p["properties"].get("amount") or p["properties"]["amountEur"])[0]) for p in payments)
    transfers = _transfers(PARTEI)
    once = {t.properties["txId"]: t.properties["amount"] for t in transfers}
    assert (len(payments), len(transfers), len(once)) == (290, 291, 290)
    assert sum(once.values()) == pytest.approx(paid)
    assert sum(t.properties["amount"] / t.properties.get("sharedBy", 1) for t in transfers) == pytest.approx(paid)


def test_a_payment_to_one_beneficiary_says_nothing_of_sharing() -> None:
    alone = [t for t in _transfers(PARTEI) if t.properties["txId"] != PAYMENT]
    assert len(alone) == 289 and not any("sharedBy" in t.properties for t in alone)


def test_an_ownership_with_two_owners_gives_each_the_whole_share_shared_by_two(tmp_path: Path) -> None:
    path = ftm_file(tmp_path, {"id": "own-1", "schema": "Ownership", "properties": {
        "owner": ["per-a", "per-b"], "asset": ["co-x"], "percentage": ["50"]}}, name="own.ftm.json")
    owns = [i for i in FtmReader([path]).records() if isinstance(i, EdgeRecord) and i.type == "OWNS"]
    assert sorted((o.start, o.end, o.properties["share"], o.properties["sharedBy"]) for o in owns) == [
        ("per-a", "co-x", 50.0, 2), ("per-b", "co-x", 50.0, 2)]


@pytest.mark.backends
@pytest.mark.asyncio(loop_scope="session")
async def test_a_money_trail_from_the_payer_shows_the_payment_once_by_txid(empty_store) -> None:
    await run_load(empty_store, FtmReader([PARTEI]), source="ftm", provenance=PROV)
    found = await money_trail(empty_store, Principal("analyst", agency="TH-DSI"), PAYER, max_hops=1,
                              since="2009-03-03", until="2009-03-03")  # the payer's other payments are other days
    hops = [t for trail in found.trails for t in trail.transfers]
    edges = {e.id: e.properties for e in found.subgraph.edges}
    shown = sorted((t.end, t.amount, edges[t.id]["txId"], edges[t.id]["sharedBy"]) for t in hops)
    assert shown == [("c326dd8021ee75fe9608f31ecb4e2e7388144102", 100000.0, PAYMENT, 2),
                     ("fake-org", 100000.0, PAYMENT, 2)]
    assert sum({edges[t.id]["txId"]: t.amount for t in hops}.values()) == 100000.0
