"""A second partner's layout of each feed (graphapi/ingest/synthetic_layouts.py,
seed/mappings/partners/): the border-crossing log with other column names, day-first dates and
Thai words; the call records with grouped numbers, mm:ss durations and alpha-3 countries; the
transfer reports with banks in local script, hyphenated accounts and currency words; the case
records with Thai words for a person's part and gender and day-first dates. The same
facts, so the same nodes and relationships, through its YAML mapping alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import graph_counts

from graphapi.ingest.identity.gazetteer import gazetteer
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.gazetteers import GazetteerReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection
from graphapi.ingest.synthetic import iter_feed
from graphapi.ingest.synthetic_layouts import generate_layout
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "seed" / "samples"
PARTNERS = REPO / "seed" / "mappings" / "partners"
TM = PARTNERS / "crossings-tm.yaml"
#: (first layout's mapping, second layout): each second layout's mapping is partners/<layout>.yaml
PAIRS = [("crossings", "crossings-tm"), ("cdr", "cdr-kh"), ("transfers", "transfers-fiu"), ("cases", "cases-tp")]
PROV = Provenance(owner="TH-IMM", tlp="AMBER", seen="2026-03-01T00:00:00")


def _records(mapping: str | Path, path: Path) -> tuple[list, MappedCsvReader]:
    reader = MappedCsvReader(load_mapping(mapping), [path])
    return list(reader.records()), reader


@pytest.mark.parametrize("layout", [second for _, second in PAIRS])
def test_second_layout_sample_matches_its_generator(tmp_path: Path, layout: str) -> None:
    fresh = generate_layout(layout, 400, tmp_path / f"{layout}.csv")
    assert fresh.read_bytes() == (SAMPLES / f"{layout}.synthetic.csv").read_bytes()


def test_tm_layout_writes_the_partners_style() -> None:
    header, first = (SAMPLES / "crossings-tm.synthetic.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("ลำดับ,Traveller No,Name (as in passport)")
    assert first == ("TM6-000000000-0,P-0000015,Nari Santos,KHM,01.04.1983,G7576565,kh-th-pailin,"
                     "Pailin - Ban Pakkard,KH/TH,ทางบก,ออก,25/05/2026 06:47:54")


def test_kh_cdr_layout_writes_the_partners_style() -> None:
    header, first = (SAMPLES / "cdr-kh.synthetic.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert header == "CDR ID,A Number,B Number,Call Start,Duration,IMEI,Cell ID,Operator Country"
    assert first == ("KH/CDR000000000,082-830-190-8,+855-109-044-99,15/05/2026 09:54:51,07:00,353994661493921,"
                     "th-cell-0080,THA")


def test_fiu_transfers_layout_names_banks_in_local_script_and_hyphenates_accounts() -> None:
    lines = (SAMPLES / "transfers-fiu.synthetic.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == ("TX0000000000,405-1-30105-6,KBZ Bank,MMR,107-3-83516-3,BDO Unibank,PHL,,,136.10,kyat,"
                        "2026-03-13 03:27:38,fee")
    assert any(",ကမ္ဘောဇဘဏ်," in line for line in lines) and any(",ธนาคารกสิกรไทย," in line for line in lines)


def test_thai_police_cases_layout_writes_parts_and_genders_in_thai_or_english_words() -> None:
    lines = (SAMPLES / "cases-tp.synthetic.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("หน่วยงาน,Case Ref,Case Title,Date Filed,Subject ID")
    assert lines[1] == ("TH-DSI,TH-DSI-2026-00000,Forced labour and online fraud at Shwe Kokko,01/01/2026,P-0000007,"
                        "Nari Haile,ผู้เสียหาย,LKA,M,28/11/1984,+85515157551,mm-shwekokko,Shwe Kokko,MMR,26/12/2025,"
                        "23/01/2026")


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_second_layout_makes_the_same_nodes_and_relationships_as_the_first(first: str, second: str) -> None:
    a, reader_a = _records(first, SAMPLES / f"{first}.synthetic.csv")
    b, reader_b = _records(PARTNERS / f"{second}.yaml", SAMPLES / f"{second}.synthetic.csv")
    assert reader_b.stats.rows == reader_a.stats.rows == 400
    assert reader_b.stats.rejected == reader_a.stats.rejected  # the same careful-value rows, for the same reasons
    assert [(r.line, r.reason) for r in b if isinstance(r, Rejection)] == [
        (r.line, r.reason) for r in a if isinstance(r, Rejection)]
    assert [(n.label, n.id, n.properties) for n in b if isinstance(n, NodeRecord)] == [
        (n.label, n.id, n.properties) for n in a if isinstance(n, NodeRecord)]
    assert [(e.type, e.start, e.end, e.properties) for e in b if isinstance(e, EdgeRecord)] == [
        (e.type, e.start, e.end, e.properties) for e in a if isinstance(e, EdgeRecord)]


@pytest.mark.parametrize(("first", "second"), PAIRS)
async def test_second_layout_loads_to_the_same_node_and_relationship_counts(empty_store, first: str,
                                                                            second: str) -> None:
    reader = MappedCsvReader(load_mapping(first), [SAMPLES / f"{first}.synthetic.csv"])
    one = await run_load(empty_store, reader, source=first, provenance=PROV)
    counts_a = await graph_counts(empty_store)
    await empty_store.clear()
    reader = MappedCsvReader(load_mapping(PARTNERS / f"{second}.yaml"), [SAMPLES / f"{second}.synthetic.csv"])
    two = await run_load(empty_store, reader, source=second, provenance=PROV)
    assert await graph_counts(empty_store) == counts_a
    assert (two.nodes_created, two.relationships_created) == (one.nodes_created, one.relationships_created)
    assert two.rows_read == two.rows_loaded + two.rows_rejected == 400
    assert two.rows_rejected == one.rows_rejected


def _generators_count() -> dict[str, int]:
    """The real accounts, checkpoints and compounds the generator wrote into the 400-row samples."""
    transfers = list(iter_feed("transfers", 400))
    accounts = {tuple(r[1:4]) for r in transfers} | {tuple(r[4:7]) for r in transfers if r[4]}
    return {"BankAccount": len(accounts), "BorderCheckpoint": len({r[6] for r in iter_feed("crossings", 400)}),
            "Compound": len({r[11] for r in iter_feed("cases", 400)})}


async def _label_counts(store) -> dict[str, int]:
    return {label: int((await store.read("ingest/count_label", label=label))[0]["n"])
            for label in ("BankAccount", "BorderCheckpoint", "Compound")}


async def test_every_shipped_sample_together_makes_one_node_per_real_account_checkpoint_and_compound(
        empty_store) -> None:
    for first, second in PAIRS:
        for mapping, sample in ((first, first), (PARTNERS / f"{second}.yaml", second)):
            reader = MappedCsvReader(load_mapping(mapping), [SAMPLES / f"{sample}.synthetic.csv"])
            await run_load(empty_store, reader, source=sample, provenance=PROV)
    assert await _label_counts(empty_store) == _generators_count() == {
        "BankAccount": 40, "BorderCheckpoint": 8, "Compound": 5}
    # with the gazetteers: their places, which the samples' resolve to, and the informal Moei crossing
    await run_load(empty_store, GazetteerReader(), source="gazetteer", provenance=PROV)
    assert await _label_counts(empty_store) == {
        "BankAccount": 40, "BorderCheckpoint": len(gazetteer("checkpoints").entries) + 1,
        "Compound": len(gazetteer("compounds").entries)}
