"""Dates of one row in an impossible order (a victim repatriated before being rescued, a border
crossed before the traveller was born) are rejected or flagged, as the mapping's ``order`` rules
say, never stored silently."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ingest_helpers import read_mapped

from graphapi.ingest.readers.mapped_csv import MappingError, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection

CASES_HEADER = ("agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,birth_date,phone,"
                "compound_id,compound_name,compound_country,rescued,repatriated")
CROSSINGS_HEADER = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,"
                    "checkpoint_name,checkpoint_countries,checkpoint_kind,direction,crossed_at")


def _case(person: str, birth: str, rescued: str, repatriated: str) -> str:
    return (f"TH-DSI,TH-DSI-2026-1,Forced labour,2026-01-01,{person},Nari Haile,victim,LK,male,{birth},,"
            f"MM-SHWEKOKKO,Shwe Kokko,MM,{rescued},{repatriated}")


def _crossing(n: int, birth: str, at: str) -> str:
    return f"X{n},P{n},Nari Santos,KH,{birth},G7576565,KH-TH-PAILIN,Pailin - Ban Pakkard,KH;TH,land,exit,{at}"


def test_a_victim_repatriated_before_rescued_is_loaded_and_flagged_as_the_cases_mapping_says(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "cases", CASES_HEADER, _case("P1", "1984-11-28", "2026-01-23", "2025-12-26"),
                          _case("P2", "1984-11-28", "2025-12-26", "2026-01-23"))
    involved = {e.start: e.properties for e in items if isinstance(e, EdgeRecord) and e.type == "INVOLVED_IN"}
    assert involved["TH-DSI-P1"]["dateConflicts"] == [
        "INVOLVED_IN.repatriated 2025-12-26 is before INVOLVED_IN.rescued 2026-01-23"]
    assert "dateConflicts" not in involved["TH-DSI-P2"]
    assert reader.stats.rejected == 0


def test_a_victim_rescued_before_birth_is_flagged_on_the_case_link(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "cases", CASES_HEADER, _case("P1", "2027-01-01", "2026-01-23", ""))
    (involved,) = [e for e in items if isinstance(e, EdgeRecord) and e.type == "INVOLVED_IN"]
    assert involved.properties["dateConflicts"] == [
        "INVOLVED_IN.rescued 2026-01-23 is before person.birthDate 2027-01-01"]


def test_a_crossing_before_the_travellers_birth_is_rejected_as_the_crossings_mapping_says(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "crossings", CROSSINGS_HEADER,
                          _crossing(1, "1983-04-01", "1980-05-25 06:47:54"),
                          _crossing(2, "1983-04-01", "1983-04-01 06:47:54"),
                          _crossing(3, "1983", "1983-01-01 00:00:00"))
    assert [(r.file, r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        ("crossings.csv", 2, "impossible date order: CROSSED.at 1980-05-24T23:47:54 is before traveller.birthDate "
                             "1983-04-01")]
    assert len([e for e in items if isinstance(e, EdgeRecord) and e.type == "CROSSED"]) == 2  # same day, same year


@pytest.mark.parametrize(("rule", "message"), [
    ({"before": "person.name", "after": "INVOLVED_IN.rescued"}, "'person.name' is no date or datetime property"),
    ({"before": "nobody.birthDate", "after": "INVOLVED_IN.rescued"}, "'nobody' is no entity or relationship type"),
    ({"before": "person.birthDate", "after": "INVOLVED_IN.rescued", "action": "ignore"}, "action 'ignore'"),
])
def test_an_order_rule_naming_no_date_of_the_mapping_is_a_mapping_error(tmp_path: Path, rule: dict,
                                                                         message: str) -> None:
    doc = yaml.safe_load(load_mapping("cases").path.read_text(encoding="utf-8"))
    doc["order"] = [rule]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MappingError, match=f"cases.yaml: order\\[0\\]: .*{message}"):
        load_mapping(path)
