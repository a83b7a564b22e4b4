"""FtM reader: phone numbers are normalised with the entity's own country as region hint, and an
identifier that does not clean (phone, e-mail, IBAN) is kept as text on the entity, never lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection


def _items(tmp_path: Path, *docs: dict[str, Any]) -> list[Any]:
    path = tmp_path / "e.ftm.json"
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return list(FtmReader([path]).records())


def _nodes(items: list[Any]) -> dict[str, NodeRecord]:
    return {r.id: r for r in items if isinstance(r, NodeRecord)}


def _edges(items: list[Any]) -> list[tuple[str, str, str]]:
    return [(e.type, e.start, e.end) for e in items if isinstance(e, EdgeRecord)]


def test_ftm_national_phone_number_is_normalised_with_the_entitys_country(tmp_path: Path) -> None:
    items = _items(tmp_path, {"id": "p1", "schema": "Person",
                              "properties": {"name": ["Somchai"], "phone": ["081 234 5678"], "country": ["th"]}})
    assert _nodes(items)["phone:+66812345678"].properties == {"number": "+66812345678"}
    assert _edges(items) == [("USES_PHONE", "p1", "phone:+66812345678")]
    assert "identifiers" not in _nodes(items)["p1"].properties


def test_ftm_national_phone_number_of_a_person_uses_the_nationality_as_hint(tmp_path: Path) -> None:
    items = _items(tmp_path, {"id": "p1", "schema": "Person",
                              "properties": {"name": ["Sokha"], "phone": ["012 345 678"], "nationality": ["kh"]}})
    assert _edges(items) == [("USES_PHONE", "p1", "phone:+85512345678")]


def test_ftm_national_phone_number_of_a_company_uses_its_jurisdiction_as_hint(tmp_path: Path) -> None:
    items = _items(tmp_path, {"id": "o1", "schema": "Company",
                              "properties": {"name": ["Co"], "phone": ["02 123 4567"], "jurisdiction": ["th"]}})
    assert _edges(items) == [("USES_PHONE", "o1", "phone:+6621234567")]


def test_ftm_phone_that_does_not_normalise_is_kept_as_text_on_the_entity(tmp_path: Path) -> None:
    items = _items(tmp_path, {"id": "p1", "schema": "Person",
                              "properties": {"name": ["Somchai"], "phone": ["081 234 5678"]}})
    assert not [r for r in items if isinstance(r, Rejection)]
    assert list(_nodes(items)) == ["p1"] and _edges(items) == []
    assert _nodes(items)["p1"].properties["identifiers"] == ["Phone:081 234 5678"]


def test_ftm_email_that_does_not_clean_is_kept_as_text_on_the_entity(tmp_path: Path) -> None:
    items = _items(tmp_path, {"id": "p1", "schema": "Person",
                              "properties": {"name": ["A"], "email": ["a@example.org", "not an email"]}})
    assert _nodes(items)["p1"].properties["identifiers"] == ["email:not an email"]
    assert _edges(items) == [("HAS_ACCOUNT", "p1", "user:email|a@example.org")]


def test_ftm_iban_that_does_not_clean_is_kept_as_text_on_the_account(tmp_path: Path) -> None:
    items = _items(tmp_path, {"id": "acct", "schema": "BankAccount",
                              "properties": {"iban": ["DE00 0000 0000"], "accountNumber": ["12345"],
                                             "country": ["de"]}})
    (node,) = _nodes(items).values()
    assert node.properties["identifiers"] == ["iban:DE00 0000 0000"] and "iban" not in node.properties
    # a number and a country but no bank: no identity, the FtM id stands in (attack round 56, F1)
    assert (node.id, node.properties["accountKey"]) == ("acct", "DE::acct")
