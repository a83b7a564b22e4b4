"""An FtM delta MOD of a link entity (Payment, Ownership, Membership, ...) leaves, for its source,
exactly the relationships a fresh load of the new version draws: a pair the new version no longer
draws is retracted as a DEL of it would be (attack round 39a, 3: Payment a->[b, c] modified to a->[b]
left a->c with amount 100 and sharedBy 2, a transfer the payment no longer makes)."""

import json
from pathlib import Path

import pytest
from replayed_setup import replayed
from store_kills import die_after_nth_write, whole_graph

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
A = {"id": "a", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}
B = {"id": "b", "schema": "Company", "properties": {"name": ["Bravo GmbH"]}}
C = {"id": "c", "schema": "Company", "properties": {"name": ["Charlie AG"]}}
D = {"id": "d", "schema": "Person", "properties": {"name": ["Dora Weber"]}}
PAY = {"id": "pay1", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b", "c"], "amount": ["100"],
                                                          "currency": ["EUR"], "date": ["2024-01-01"]}}
TO_B = {**PAY, "properties": {**PAY["properties"], "beneficiary": ["b"]}}
OWN = {"id": "own1", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b", "c"], "percentage": ["40"]}}


def _with(entity: dict, **props: list[str]) -> dict:
    return {**entity, "properties": {**entity["properties"], **props}}


async def _load(store, tmp_path: Path, name: str, *lines: dict, source: str = "ftm"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source=source), source=source, provenance=PROV)


async def _rels(store, rel_type: str, *props: str) -> list[tuple]:
    [row] = await store.read("admin/snapshot")
    return sorted((r["from"], r["to"], *(r["props"].get(p) for p in props))
                  for r in row["relationships"] if r.get("type") == rel_type)


async def test_a_payment_modified_to_one_beneficiary_is_one_transfer_of_its_amount(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", A, B, C, PAY)
    summary = await _load(empty_store, tmp_path, "t2.delta.json", {"op": "MOD", "entity": TO_B})
    assert await _rels(empty_store, "TRANSFERRED_TO", "amount", "sharedBy") == [("a", "b", 100.0, None)]
    assert (summary.relationships_deleted, summary.relationships_retracted) == (1, 0)


async def test_a_payment_modified_to_another_payer_is_a_transfer_from_that_payer_only(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", A, B, C, D, TO_B)
    await _load(empty_store, tmp_path, "t2.delta.json", {"op": "MOD", "entity": _with(TO_B, payer=["d"])})
    assert await _rels(empty_store, "TRANSFERRED_TO", "amount") == [("d", "b", 100.0)]


async def test_a_payment_modified_to_another_date_is_one_transfer_at_that_date(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", A, B, C, TO_B)
    await _load(empty_store, tmp_path, "t2.delta.json", {"op": "MOD", "entity": _with(TO_B, date=["2024-02-01"])})
    assert await _rels(empty_store, "TRANSFERRED_TO", "at", "txId") == [("a", "b", "2024-02-01", "pay1")]


async def test_an_ownership_modified_to_one_asset_is_one_ownership_of_its_share(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", A, B, C, OWN)
    await _load(empty_store, tmp_path, "t2.delta.json", {"op": "MOD", "entity": _with(OWN, asset=["c"])})
    assert await _rels(empty_store, "OWNS", "share", "sharedBy") == [("a", "c", 40.0, None)]


async def test_a_membership_modified_to_another_organization_in_one_delta_file_is_that_membership_only(
        empty_store, tmp_path):
    m1 = {"id": "m1", "schema": "Membership", "properties": {"member": ["a"], "organization": ["b"]}}
    await _load(empty_store, tmp_path, "t.delta.json", *({"op": "ADD", "entity": e} for e in (A, B, C, m1)),
                {"op": "MOD", "entity": _with(m1, organization=["c"])})
    assert await _rels(empty_store, "MEMBER_OF") == [("a", "c")]


async def test_a_pair_another_source_still_asserts_stays_with_that_sources_values(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", A, B, C, PAY)
    await _load(empty_store, tmp_path, "other.json", A, B, C, _with(PAY, amount=["90"]), source="mirror")
    summary = await _load(empty_store, tmp_path, "t2.delta.json", {"op": "MOD", "entity": TO_B})
    assert await _rels(empty_store, "TRANSFERRED_TO", "amount", "sources") == [
        ("a", "b", 100.0, ["ftm", "mirror"]), ("a", "c", 90.0, ["mirror"])]
    assert (summary.relationships_deleted, summary.relationships_retracted) == (0, 1)


async def test_a_link_mod_killed_after_any_write_ends_as_an_uninterrupted_one_once_rerun(
        empty_store, tmp_path, monkeypatch):
    mod = {"op": "MOD", "entity": TO_B}
    await _load(empty_store, tmp_path, "t1.json", A, B, C, PAY)
    await _load(empty_store, tmp_path, "t2.delta.json", mod)
    want = await whole_graph(empty_store)

    async def load():
        await empty_store.clear()
        await _load(empty_store, tmp_path, "t1.json", A, B, C, PAY)

    start = replayed(empty_store, load)  # loaded once, then replayed (tests/replayed_setup.py)
    await start()
    with monkeypatch.context() as m:
        seen = die_after_nth_write(empty_store, m, 0)
        await _load(empty_store, tmp_path, "t2.delta.json", mod)
    kills = list(range(1, len(seen) + 1))
    assert "provenance/retract_statements" in [seen[n - 1] for n in kills]  # the retraction is among them
    for n in kills:
        await start()
        with monkeypatch.context() as m:
            die_after_nth_write(empty_store, m, n)
            with pytest.raises(OSError):
                await _load(empty_store, tmp_path, "t2.delta.json", mod)
        await _load(empty_store, tmp_path, "t2.delta.json", mod)
        assert (n, seen[n - 1], await whole_graph(empty_store)) == (n, seen[n - 1], want)
        assert await empty_store.read("ingest/pending_retractions", {}) == []


async def test_a_payments_del_naming_one_beneficiary_takes_every_transfer_it_drew(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", A, B, C, PAY)
    summary = await _load(empty_store, tmp_path, "t2.delta.json", {"op": "DEL", "entity": TO_B})
    assert await _rels(empty_store, "TRANSFERRED_TO") == []
    assert (summary.relationships_deleted, summary.relationships_retracted) == (2, 0)


async def test_a_payments_del_without_its_amount_is_applied(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "t1.json", A, B, C, PAY)
    bare = {**PAY, "properties": {"payer": ["a"], "beneficiary": ["b", "c"]}}
    summary = await _load(empty_store, tmp_path, "t2.delta.json", {"op": "DEL", "entity": bare})
    assert await _rels(empty_store, "TRANSFERRED_TO") == []
    assert (summary.rows_loaded, summary.rows_rejected, summary.relationships_deleted) == (1, 0, 2)
