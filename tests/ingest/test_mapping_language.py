"""The mapping language read end to end: value maps, transforms, conditions, row identity,
defaults and per-column rules, each through a small YAML mapping over a small CSV file."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, MappingError, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

CROSSINGS = """
name: crossings-th
entities:
  traveller: {label: Person, required: true, id: {template: "imm-{pid}"}, properties: {name: {column: name}}}
  checkpoint: {label: BorderCheckpoint, required: true, id: {template: "cp-{bcp}"}, properties: {name: {column: bcp}}}
relationships:
  - type: CROSSED
    from: traveller
    to: checkpoint
    key: "{xid}"
    properties:
      direction:
        column: dir
        map: {entry: [IN, ENTRY, arrival, เข้า], exit: [OUT, EXIT, departure, ออก]}
        unknown: UNKNOWN
"""

TRANSFERS = """
name: transfers-kind
hints: {tz: Asia/Bangkok}
entities:
  payer:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "TH:{bank}:{account}"}
      accountNumber: {column: account, steps: [strip_separators]}
  to_account:
    label: BankAccount
    when: {column: to_kind, in: [bank, account]}
    properties:
      accountKey: {template: "TH:{to_bank}:{to_id}"}
  to_wallet:
    label: CryptoWallet
    when: {column: to_kind, equals: crypto}
    properties:
      address: {column: to_id}
      chain: {value: TRX}
relationships:
  - type: TRANSFERRED_TO
    from: payer
    to: to_account
    key: "{ref}"
    required: true
    properties: &money
      amount: {column: amount}
      currency: {column: ccy, default: THB, map: {USD: [US$, dollar], THB: [บาท, baht]}}
  - type: TRANSFERRED_TO
    from: payer
    to: to_wallet
    key: "{ref}"
    required: true
    properties: *money
"""
TRANSFERS_HEADER = "ref,bank,account,to_kind,to_bank,to_id,amount,ccy"
WALLET = "TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8"


def _read(tmp_path: Path, mapping: str, *lines: str, name: str = "feed.csv") -> tuple[list, ReadStats]:
    path = tmp_path / name
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(mapping.replace("unknown: UNKNOWN", "unknown: reject"), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "mapping.yaml"), [path])
    return list(reader.records()), reader.stats


def _mapping_error(tmp_path: Path, text: str) -> str:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as exc:
        load_mapping(tmp_path / "bad.yaml")
    return str(exc.value)


def _edges(items: list) -> list[EdgeRecord]:
    return [e for e in items if isinstance(e, EdgeRecord)]


def _rejections(items: list) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in items if isinstance(r, Rejection)]


# -- value maps -------------------------------------------------------------------------------

def test_value_map_turns_thai_and_english_direction_words_into_the_canonical_value(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, CROSSINGS, "xid,pid,name,bcp,dir",
                         "X1,P1,Nari,MAE-SOT,เข้า", "X2,P1,Nari,MAE-SOT,Departure", "X3,P1,Nari,MAE-SOT, in ")
    assert [e.properties["direction"] for e in _edges(items)] == ["entry", "exit", "entry"]
    assert stats.rejected == 0


def test_value_map_rejects_a_row_whose_value_it_does_not_know_with_the_reason(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, CROSSINGS, "xid,pid,name,bcp,dir", "X1,P1,Nari,MAE-SOT,sideways")
    assert _rejections(items) == [(2, "CROSSED.direction: 'sideways' is not in the value map (entry, exit)")]
    assert (stats.rows, stats.rejected) == (1, 1)


def test_value_map_with_unknown_pass_hands_the_value_to_its_type(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(CROSSINGS.replace("unknown: UNKNOWN", "unknown: pass"), encoding="utf-8")
    path = tmp_path / "f.csv"
    path.write_text("xid,pid,name,bcp,dir\nX1,P1,Nari,MAE-SOT,sideways\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [path]).records())
    # passed through, then refused by the enum of CROSSED.direction as any unmapped value would be
    assert _rejections(items) == [(2, "CROSSED.direction: invalid enum value 'sideways' in column 'dir'")]


def test_a_null_token_is_no_value_not_an_unknown_one(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, CROSSINGS, "xid,pid,name,bcp,dir", "X1,P1,Nari,MAE-SOT,N/A")
    assert [e.properties for e in _edges(items)] == [{}] and stats.rejected == 0


# -- conditions, defaults, transforms -----------------------------------------------------------

def test_a_transfer_to_a_crypto_wallet_makes_a_wallet_not_a_bank_account(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, TRANSFERS, TRANSFERS_HEADER,
                         f"R1,KBANK,407-1-23958,crypto,,{WALLET},10,usd",
                         "R2,KBANK,407-1-23958,bank,SCB,9876543,20,baht")
    nodes = [(n.label, n.id) for n in items if isinstance(n, NodeRecord)]
    # account keys as every reader keys them (banks by BIC, numbers without separators)
    assert nodes == [("BankAccount", "account:TH:KASITHBK:407123958"), ("CryptoWallet", f"wallet:{WALLET}"),
                     ("BankAccount", "account:TH:KASITHBK:407123958"), ("BankAccount", "account:TH:SICOTHBK:9876543")]
    assert [(e.end, e.properties["currency"]) for e in _edges(items)] == [
        (f"wallet:{WALLET}", "USD"), ("account:TH:SICOTHBK:9876543", "THB")]
    assert stats.rejected == 0


def test_a_default_fills_an_empty_column(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, TRANSFERS, TRANSFERS_HEADER, "R1,KBANK,1234,bank,SCB,9876543,20,")
    assert [e.properties["currency"] for e in _edges(items)] == ["THB"]


def test_steps_run_before_cleaning(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, TRANSFERS, TRANSFERS_HEADER, "R1,KBANK,407-1-23958,bank,SCB,9876543,20,THB")
    payer = next(n for n in items if isinstance(n, NodeRecord))
    assert payer.properties["accountNumber"] == "407123958"


def test_a_row_that_meets_no_entity_condition_is_rejected_naming_the_missing_ends(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, TRANSFERS, TRANSFERS_HEADER, "R1,KBANK,1234,cash,,,20,THB")
    assert _rejections(items) == [(2, "no TRANSFERRED_TO made: the row has no to_account or to_wallet")]


CONDITIONS = """
name: staff
entities:
  person: {label: Person, required: true, id: {column: pid}, properties: {name: {column: pid}}}
  compound: {label: Compound, required: true, id: {column: cid}, properties: {name: {column: cid}}}
relationships:
  - type: HELD_AT
    from: person
    to: compound
    when:
      and:
        - {column: role, not_in: [boss, guard]}
        - or: [{column: rescued, empty: false}, {column: note, matches: "(?i)held|locked"}]
  - type: WORKED_AT
    from: person
    to: compound
    when: {not: {column: role, in: [victim]}}
"""


@pytest.mark.parametrize(("row", "made"), [
    ("p1,c1,victim,2026-01-01,", ["HELD_AT"]),
    ("p1,c1,victim,,was Locked in", ["HELD_AT"]),
    ("p1,c1,victim,N/A,", []),
    ("p1,c1,GUARD,2026-01-01,", ["WORKED_AT"]),
    ("p1,c1,cook,,", ["WORKED_AT"]),
])
def test_conditions_combine_not_in_empty_matches_and_or_not(tmp_path: Path, row: str, made: list[str]) -> None:
    items, _ = _read(tmp_path, CONDITIONS, "pid,cid,role,rescued,note", row)
    assert [e.type for e in _edges(items)] == made


# -- row identity, concat, per-column rules ---------------------------------------------------------

ROW_IDENTITY = """
name: sightings
entities:
  person: {label: Person, required: true, id: {template: "sighting-{_file}-{_line}"},
           properties: {name: {concat: [given, family], sep: " "}}}
"""


def test_file_and_line_give_an_id_to_rows_without_a_record_id(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, ROW_IDENTITY, "given,family", "Nari,Santos", "", "Rahel,", name="walkins.csv")
    assert [(n.id, n.properties["name"]) for n in items] == [
        ("sighting-walkins.csv-2", "Nari Santos"), ("sighting-walkins.csv-4", "Rahel")]


COLUMN_RULES = """
name: staff-rules
columns:
  role: {map: {victim: [ผู้เสียหาย, victim], worker: [staff, พนักงาน]}}
  cid: {steps: [upper, strip_separators]}
entities:
  person: {label: Person, required: true, id: {column: pid}, properties: {name: {column: pid}}}
  compound: {label: Compound, required: true, id: {template: "cmp-{cid}"}, properties: {name: {column: cid}}}
relationships:
  - {type: HELD_AT, from: person, to: compound, when: {column: role, equals: victim}}
  - {type: WORKED_AT, from: person, to: compound, when: {column: role, equals: worker}}
"""


def test_a_column_rule_refines_the_text_every_spec_and_condition_reads(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, COLUMN_RULES, "pid,cid,role", "p1,kk-park,ผู้เสียหาย", "p2,KK Park,Staff")
    assert [(e.type, e.start, e.end) for e in _edges(items)] == [("HELD_AT", "p1", "cmp-KKPARK"),
                                                                 ("WORKED_AT", "p2", "cmp-KKPARK")]
    assert stats.rejected == 0


def test_a_column_rule_rejects_an_unknown_value_keeping_the_raw_row(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, COLUMN_RULES, "pid,cid,role", "p1,kk-park,boss")
    (rej,) = [r for r in items if isinstance(r, Rejection)]
    assert (rej.line, rej.reason) == (2, "column 'role': 'boss' is not in the value map (victim, worker)")
    assert rej.raw == {"pid": "p1", "cid": "kk-park", "role": "boss"}
    assert (stats.rows, stats.rejected) == (1, 1)


# -- load_mapping refuses what the language does not have -------------------------------------------

PHONE = "name: m\nentities:\n  phone:\n    label: Phone\n    properties:\n      number: {column: msisdn, %s}\n"


def test_an_unknown_step_is_refused_naming_entity_and_property(tmp_path: Path) -> None:
    assert "bad.yaml: entity phone.number: step 1: unknown step 'digitz'" in _mapping_error(
        tmp_path, PHONE % "steps: [digitz]")


def test_an_unknown_time_zone_hint_is_refused_before_any_row(tmp_path: Path) -> None:
    # a typo (or mapping init's TODO) would otherwise reject every row as an invalid datetime
    assert "bad.yaml: hints.tz: unknown time zone 'Asia/Bangkokk'" in _mapping_error(
        tmp_path, "hints: {tz: Asia/Bangkokk}\n" + PHONE % "type: phone")
    assert "entity phone.number.hints.tz: unknown time zone 'TODO'" in _mapping_error(
        tmp_path, PHONE % "hints: {tz: TODO}")


def test_a_bad_regex_step_is_refused(tmp_path: Path) -> None:
    assert "entity phone.number: step 1 (regex): regex '(' does not compile" in _mapping_error(
        tmp_path, PHONE % "steps: [{regex: '('}]")


def test_an_unknown_value_spec_key_is_refused(tmp_path: Path) -> None:
    assert "entity phone.number: unknown key(s) ['stpes']" in _mapping_error(tmp_path, PHONE % "stpes: [digits]")


def test_a_bad_condition_regex_is_refused_naming_the_relationship(tmp_path: Path) -> None:
    text = CONDITIONS.replace("(?i)held|locked", "([")
    assert "relationship 1 (HELD_AT).when.and[1].or[1]: matches '([' does not compile" in _mapping_error(tmp_path, text)


def test_an_unknown_condition_is_refused(tmp_path: Path) -> None:
    text = CONDITIONS.replace("not: {column: role, in: [victim]}", "column: role, startswith: v")
    assert "relationship 2 (WORKED_AT).when: unknown condition ['startswith']" in _mapping_error(tmp_path, text)


def test_a_column_rule_on_a_column_nothing_reads_is_refused(tmp_path: Path) -> None:
    text = COLUMN_RULES.replace("  cid: {steps", "  cdi: {steps")
    assert "bad.yaml: columns.cdi: no entity, relationship or hint reads column 'cdi'" in _mapping_error(tmp_path, text)


def test_an_entity_condition_on_a_column_the_file_lacks_refuses_the_file(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"the header lacks the mapped column\(s\) \['to_kind'\]"):
        _read(tmp_path, TRANSFERS, TRANSFERS_HEADER.replace("to_kind", "kind"), "R1,KBANK,1234,bank,SCB,1,20,THB")


HINT_DEFAULT = """
name: subscribers
hints:
  country: {column: operator_country, default: TH}
entities:
  phone: {label: Phone, required: true, properties: {number: {column: msisdn}}}
"""


def test_a_hint_default_gives_the_partners_country_when_the_column_is_empty(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, HINT_DEFAULT, "msisdn,operator_country", "0812345678,", "0812345678,VN")
    assert [n.id for n in items] == ["phone:+66812345678", "phone:+84812345678"]


def test_an_entity_named_like_a_language_key_still_has_its_columns_checked(tmp_path: Path) -> None:
    text = "name: m\nentities:\n  map: {label: Phone, properties: {number: {column: msisdn}}}\n"
    with pytest.raises(MappingError, match=r"lacks the mapped column\(s\) \['msisdn'\]"):
        _read(tmp_path, text, "phone", "+66812345678")
