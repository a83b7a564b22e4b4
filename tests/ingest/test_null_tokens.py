"""The null-token rule (issue 12): ``n/a``, ``null``, ``-`` ... are no value in free text and ids,
but a code is tried by its type first: ``NA`` is Namibia, in every loader and every shipped mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MAPPINGS, MappedCsvReader, load_mapping
from graphapi.ingest.readers.nulls import no_value
from graphapi.ingest.records import NodeRecord, Rejection
from graphapi.ingest.service import build_records
from graphapi.ontology import load_model

BENCH = Path(__file__).resolve().parents[2] / "graphapi" / "bench" / "mappings"
T0 = "2026-01-01T00:00:00Z"

#: (mapping, header, a row whose country column is ``NA``, label, property with that country)
NAMIBIA_ROWS = [
    (MAPPINGS / "cases.yaml",
     "agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,birth_date,phone,"
     "compound_id,compound_name,compound_country,rescued,repatriated",
     "TH-DSI,TH-DSI-1,Fraud,2026-01-01,P1,Ann Lee,victim,TH,female,1990-01-01,,C1,Compound,NA,,",
     "Compound", "country"),
    (MAPPINGS / "cases.yaml",
     "agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,birth_date,phone,"
     "compound_id,compound_name,compound_country,rescued,repatriated",
     "TH-DSI,TH-DSI-1,Fraud,2026-01-01,P1,Ann Lee,victim,NA,female,1990-01-01,,,,,,", "Person", "nationality"),
    (MAPPINGS / "cdr.yaml", "record_id,caller,callee,start_time,duration_s,imei,cell_id,country",
     "C1,+66828301908,+85510904499,2026-05-15 09:54:51,420,,CELL-1,NA", "Phone", "country"),
    (MAPPINGS / "crossings.yaml",
     "crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,checkpoint_name,"
     "checkpoint_countries,checkpoint_kind,direction,crossed_at",
     "X1,P1,Ann Lee,NA,1990-01-01,G1,KH-TH-1,Pailin,KH;TH,land,exit,2026-05-25 06:47:54", "Person", "nationality"),
    (MAPPINGS / "transfers.yaml",
     "txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,to_wallet,"
     "amount,currency,value_time,reference",
     "TN1,1234567,BWIN,NA,7654321,BDO,PH,,,10.00,NAD,13/03/2026 03:27:38,a", "BankAccount", "country"),
    (BENCH / "account_holders.yaml", "holder_id,holder_name,bank,account_number,country,currency",
     "h1,Ann Lee,BWIN,0100000037,NA,NAD", "BankAccount", "country"),
    (BENCH / "bank_transfers.yaml",
     "reference,from_bank,from_account,from_country,to_bank,to_account,to_country,amount,currency,value_time",
     f"TX1,BWIN,0100000037,NA,BDO,0100000074,PH,12.50,NAD,{T0}", "BankAccount", "country"),
    (BENCH / "border_crossings.yaml",
     "record_id,person_id,name,nationality,document_number,checkpoint_id,checkpoint_name,countries,direction,"
     "crossed_at", f"IMM1,p1,Ann Lee,NA,N1,cp1,Checkpoint 1,TH-MM,entry,{T0}", "Person", "nationality"),
    (BENCH / "compound_staff.yaml",
     "case_number,person_id,name,compound_id,compound_name,compound_country,role,kind",
     "CASE-1,p1,Ann Lee,c1,Compound 1,NA,worker,worked", "Compound", "country"),
    (BENCH / "subscribers.yaml", "msisdn,operator_country,subscriber_id,name,nationality,registered",
     "+66812064206,TH,p1,Ann Lee,NA,2026-01-01", "Person", "nationality"),
    (BENCH / "exchange_deposits.yaml",
     "reference,from_bank,from_account,from_country,chain,to_address,amount,currency,value_time",
     f"DEP1,BWIN,0100000037,NA,TRX,TPLantedMuLeRingWaLLetUSDTTRCxxxx1,7.00,USDT,{T0}", "BankAccount", "country"),
    (BENCH / "intelligence_links.yaml",
     "record_id,kind,person_id,person_name,person_nationality,other_id,other_name,other_nationality,"
     "document_country,document_kind,document_number",
     "INT1,associate,p1,Ann Lee,NA,p2,Bo Lee,TH,,,", "Person", "nationality"),
]


def _read_csv(tmp_path: Path, mapping: Path, header: str, row: str) -> list:
    path = tmp_path / "feed.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    return list(MappedCsvReader(load_mapping(str(mapping)), [path]).records())


def _country_mappings() -> set[str]:
    """Every shipped mapping that fills a country-typed property from a column."""
    model, found = load_model(), set()
    for path in [*MAPPINGS.glob("*.yaml"), *BENCH.glob("*.yaml")]:
        for spec in load_mapping(str(path)).entities.values():
            props = model.label(spec["label"]).properties
            if any(props[name].type == "country" for name in spec.get("properties") or {}):
                found.add(path.name)
    return found


def test_null_tokens_namibia_rows_cover_every_shipped_mapping_with_a_country_column() -> None:
    assert {m.name for m, *_ in NAMIBIA_ROWS} == _country_mappings()


@pytest.mark.parametrize(("mapping", "header", "row", "label", "prop"), NAMIBIA_ROWS,
                         ids=[f"{m.parent.parent.name}/{m.stem}:{p}" for m, _, _, _, p in NAMIBIA_ROWS])
def test_null_tokens_country_na_in_a_shipped_mapping_is_namibia(tmp_path: Path, mapping: Path, header: str,
                                                                row: str, label: str, prop: str) -> None:
    items = _read_csv(tmp_path, mapping, header, row)
    assert [r.reason for r in items if isinstance(r, Rejection)] == []
    values = [n.properties.get(prop) for n in items if isinstance(n, NodeRecord) and n.label == label]
    assert "NA" in values or ["NA"] in values


def test_null_tokens_namibia_account_is_keyed_by_its_country_code(tmp_path: Path) -> None:
    mapping, header, row, _, _ = NAMIBIA_ROWS[5]  # bench account_holders
    items = _read_csv(tmp_path, mapping, header, row)
    (account,) = [n for n in items if isinstance(n, NodeRecord) and n.label == "BankAccount"]
    assert account.properties["accountKey"] == "NA:BWIN:0100000037"


def test_null_tokens_n_slash_a_in_an_optional_country_column_is_no_value(tmp_path: Path) -> None:
    mapping, header, row, _, _ = NAMIBIA_ROWS[0]  # seed cases, compound_country
    items = _read_csv(tmp_path, mapping, header, row.replace(",NA,", ",N/A,"))
    (compound,) = [n for n in items if isinstance(n, NodeRecord) and n.label == "Compound"]
    assert [r for r in items if isinstance(r, Rejection)] == [] and "country" not in compound.properties


def test_null_tokens_n_slash_a_in_an_id_column_is_still_no_id(tmp_path: Path) -> None:
    mapping, header, row, _, _ = NAMIBIA_ROWS[3]  # seed crossings, person_id
    items = _read_csv(tmp_path, mapping, header, row.replace("X1,P1,", "X1,N/A,"))
    assert [n.id for n in items if isinstance(n, NodeRecord) and n.label == "Person"] == []
    assert len([r for r in items if isinstance(r, Rejection)]) == 1


@pytest.mark.parametrize(("raw", "type_name", "expected"), [
    ("NA", "country", False), ("na", "country", False), ("N/A", "country", True), ("-", "country", True),
    ("NA", None, True), ("N/A", "string", True), ("null", "name", True), ("n/a", "date", True),
    ("Namibia", "country", False), ("NAD", None, False), ("", "country", True), ("  ", None, True),
])
def test_null_tokens_no_value_knows_the_value_type(raw: str, type_name: str | None, expected: bool) -> None:
    assert no_value(raw, type_name) is expected


def _ftm_node(tmp_path: Path, entity: dict) -> tuple[NodeRecord, list[Rejection]]:
    path = tmp_path / "e.ftm.json"
    path.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    items = list(FtmReader([path]).records())
    (node,) = [n for n in items if isinstance(n, NodeRecord) and n.id == entity["id"]]
    return node, [r for r in items if isinstance(r, Rejection)]


def test_null_tokens_ftm_nationality_na_is_namibia(tmp_path: Path) -> None:
    node, rejected = _ftm_node(tmp_path, {"id": "p1", "schema": "Person",
                                          "properties": {"name": ["Ann"], "nationality": ["NA"]}})
    assert rejected == [] and node.properties["nationality"] == ["NA"]


def test_null_tokens_ftm_jurisdiction_na_is_namibia(tmp_path: Path) -> None:
    node, rejected = _ftm_node(tmp_path, {"id": "c1", "schema": "Company",
                                          "properties": {"name": ["Acme"], "jurisdiction": ["NA"]}})
    assert rejected == [] and node.properties["country"] == ["NA"]


def test_null_tokens_ftm_nationality_n_slash_a_is_no_value(tmp_path: Path) -> None:
    node, rejected = _ftm_node(tmp_path, {"id": "p1", "schema": "Person",
                                          "properties": {"name": ["Ann"], "nationality": ["n/a", "TH"]}})
    assert rejected == [] and node.properties["nationality"] == ["TH"]


def _ftm_items(tmp_path: Path, *entities: dict) -> list:
    path = tmp_path / "e.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return list(FtmReader([path]).records())


def test_null_tokens_ftm_entity_id_that_is_a_null_token_is_no_id(tmp_path: Path) -> None:
    items = _ftm_items(tmp_path, {"id": "unknown", "schema": "Person", "properties": {"name": ["Ann"]}})
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (1, "FtM entity id 'unknown' is a null token, no id")]


def test_null_tokens_ftm_reference_that_is_a_null_token_links_nothing(tmp_path: Path) -> None:
    items = _ftm_items(tmp_path, {"id": "c1", "schema": "Company", "properties": {"name": ["Acme"]}},
                       {"id": "own1", "schema": "Ownership", "properties": {"owner": ["unknown"], "asset": ["c1"]}})
    assert [n.id for n in items if isinstance(n, NodeRecord)] == ["c1"]
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [(2, "Ownership without owner/asset")]


# One rule in every loader (new-user trial 8): an id or reference that is a null token is no id,
# and a null token in free text is no value; only a code's own type may take one (``NA``).
_TRIAL_MAPPING = """name: trial
source: trial
entities:
  person:
    label: Person
    required: true
    id: {column: pid}
    properties:
      name: {column: name}
      birthPlace: {column: bp}
"""


def _loaded(tmp_path: Path, loader: str, pid: str, birth_place: str) -> tuple[list[NodeRecord], list[Rejection]]:
    """The Person records and rejects of one person ``pid`` born in ``birth_place``, by ``loader``."""
    if loader == "csv":
        (tmp_path / "m.yaml").write_text(_TRIAL_MAPPING, encoding="utf-8")
        (tmp_path / "f.csv").write_text(f"pid,name,bp\n{pid},Ann Lee,{birth_place}\n", encoding="utf-8")
        items = list(MappedCsvReader(load_mapping(str(tmp_path / "m.yaml")), [tmp_path / "f.csv"]).records())
    elif loader == "ftm":
        items = _ftm_items(tmp_path, {"id": pid, "schema": "Person",
                                      "properties": {"name": ["Ann Lee"], "birthPlace": [birth_place]}})
    else:
        items, _ = build_records([{"label": "Person", "id": pid,
                                   "properties": {"name": "Ann Lee", "birthPlace": birth_place}}], "trial")
    return ([n for n in items if isinstance(n, NodeRecord)], [r for r in items if isinstance(r, Rejection)])


@pytest.mark.parametrize("loader", ["csv", "ftm", "records"])
@pytest.mark.parametrize("pid", ["n/a", "-", "NA", " null "])
def test_null_tokens_an_id_that_is_a_null_token_is_no_id_in_every_loader(tmp_path: Path, loader: str,
                                                                          pid: str) -> None:
    nodes, rejected = _loaded(tmp_path, loader, pid, "Phnom Penh")
    assert nodes == [] and len(rejected) == 1


@pytest.mark.parametrize("loader", ["csv", "ftm", "records"])
def test_null_tokens_an_id_that_only_contains_a_null_token_is_an_id_in_every_loader(tmp_path: Path,
                                                                                     loader: str) -> None:
    nodes, rejected = _loaded(tmp_path, loader, "NA-1", "Phnom Penh")
    assert rejected == [] and [n.id for n in nodes] == ["NA-1"]


@pytest.mark.parametrize("loader", ["csv", "ftm", "records"])
@pytest.mark.parametrize("birth_place", ["n/a", "-", "NA", "unknown"])
def test_null_tokens_free_text_that_is_a_null_token_is_no_value_in_every_loader(tmp_path: Path, loader: str,
                                                                                birth_place: str) -> None:
    (node,), rejected = _loaded(tmp_path, loader, "p1", birth_place)
    assert rejected == [] and node.properties.get("birthPlace") in (None, [])


@pytest.mark.parametrize("loader", ["csv", "ftm", "records"])
def test_null_tokens_free_text_is_kept_as_written_in_every_loader(tmp_path: Path, loader: str) -> None:
    (node,), _ = _loaded(tmp_path, loader, "p1", "N/A Village")
    assert node.properties["birthPlace"] in ("N/A Village", ["N/A Village"])


def test_null_tokens_a_record_relationship_to_a_null_token_is_rejected() -> None:
    items, _ = build_records([{"label": "Person", "id": "p1", "properties": {"name": "Ann Lee"}},
                              {"type": "ASSOCIATE_OF", "from": "p1", "to": "n/a"}], "trial")
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [(2, "ASSOCIATE_OF needs from and to")]
