"""Gazetteers (seed/gazetteers): a row that names a checkpoint, compound or bank by any alias
resolves to the gazetteer's node; an unknown name makes a node flagged unresolvedPlace; the
gazetteers load as nodes and deployments extend them without code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.identity import gazetteer as gazetteer_module
from graphapi.ingest.identity.gazetteer import GazetteerError, gazetteer
from graphapi.ingest.mapping import MappingError, load_mapping
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.gazetteers import GazetteerReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
SAMPLES = Path(__file__).resolve().parents[2] / "seed" / "samples"
MAPPINGS = Path(__file__).resolve().parents[2] / "seed" / "mappings"
#: every shipped sample with its mapping (seed/samples/README.md)
SHIPPED = [(m, SAMPLES / f"{m}.synthetic.csv") for m in ("crossings", "cdr", "transfers", "cases")] + [
    (MAPPINGS / "partners" / f"{m}.yaml", SAMPLES / f"{m}.synthetic.csv")
    for m in ("crossings-tm", "cdr-kh", "transfers-fiu", "cases-tp")]
#: the one place of the samples no gazetteer names: the informal Moei river crossing, a place
#: of the synthetic feeds only (no official crossing), kept for review as partners report it
INFORMAL = "checkpoint-TH-MOEI-INFORMAL"
HEADER = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,"
          "checkpoint_name,checkpoint_countries,checkpoint_kind,direction,crossed_at")


def _row(n: int, code: str, name: str) -> str:
    return f"X{n},P{n},Traveller {n},TH,1980-01-01,AA{n}00000,{code},{name},MM;TH,land,entry,2026-05-25 06:47:54"


def _checkpoints(items: list[Any]) -> dict[str, dict[str, Any]]:
    return {r.id: r.properties for r in items if isinstance(r, NodeRecord) and r.label == "BorderCheckpoint"}


def test_a_checkpoint_named_in_any_script_or_alias_is_the_gazetteers_node(tmp_path: Path) -> None:
    path = tmp_path / "crossings.csv"
    path.write_text("\n".join([HEADER, _row(1, "MS-1", "Mae Sot"), _row(2, "MSOT", "แม่สอด"),
                               _row(3, "M-3", "မြဝတီ"), _row(4, "MOEI-9", "Moei river crossing (informal)")]) + "\n",
                    encoding="utf-8")
    found = _checkpoints(list(MappedCsvReader(load_mapping("crossings"), [path]).records()))
    assert sorted(found) == ["bcp-th-mm-mae-sot", "checkpoint-MOEI-9"]
    assert found["checkpoint-MOEI-9"]["unresolvedPlace"] is True
    assert "unresolvedPlace" not in found["bcp-th-mm-mae-sot"]


def test_a_compound_named_by_an_alias_is_the_gazetteers_compound() -> None:
    items = list(MappedCsvReader(load_mapping("cases"), [SAMPLES / "cases.synthetic.csv"]).records())
    compounds = {r.id for r in items if isinstance(r, NodeRecord) and r.label == "Compound"}
    assert {"cmp-mm-kk-park", "cmp-mm-shwe-kokko"} <= compounds


def test_every_place_the_shipped_samples_name_resolves_to_a_gazetteer_node() -> None:
    known = set(gazetteer("checkpoints").entries) | set(gazetteer("compounds").entries)
    places = {r.id for mapping, sample in SHIPPED for r in MappedCsvReader(load_mapping(mapping), [sample]).records()
              if isinstance(r, NodeRecord) and r.label in ("BorderCheckpoint", "Compound")}
    assert sorted(places - known) == [INFORMAL]
    assert sorted(places) == ["bcp-kh-vn-bavet", "bcp-kh-vn-chrey-thum", "bcp-th-kh-aranyaprathet",
                              "bcp-th-kh-ban-pakkard", "bcp-th-mm-mae-sai", "bcp-th-mm-mae-sot",
                              "bcp-th-suvarnabhumi", "checkpoint-TH-MOEI-INFORMAL", "cmp-kh-golden-fortune",
                              "cmp-kh-jin-bei", "cmp-la-golden-triangle-sez", "cmp-mm-kk-park", "cmp-mm-shwe-kokko"]


def test_a_compound_named_with_its_town_after_a_comma_is_the_gazetteers_compound(tmp_path: Path) -> None:
    header = SAMPLES.joinpath("cases.synthetic.csv").read_text(encoding="utf-8").splitlines()[0]
    row = ('KH-NP,KH-NP-2026-00001,Online fraud,2026-01-02,P0000001,Dara Sok,suspect,KH,male,1990-01-01,,'
           'KH-JINBEI,"Jinbei compound, Sihanoukville",KH,,')
    path = tmp_path / "cases.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping("cases"), [path]).records())
    (compound,) = [r for r in items if isinstance(r, NodeRecord) and r.label == "Compound"]
    assert (compound.id, compound.properties["name"]) == ("cmp-kh-jin-bei", "Jinbei compound, Sihanoukville")
    assert "unresolvedPlace" not in compound.properties


def test_resolve_names_a_gazetteer_the_language_has(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("entities:\n  c:\n    label: BorderCheckpoint\n    id: {column: name, resolve: airport}\n"
                    "    properties: {name: {column: name}}\n", encoding="utf-8")
    with pytest.raises(MappingError, match="resolve takes bank, checkpoint, compound, not 'airport'"):
        load_mapping(path)


def test_a_name_given_to_two_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "checkpoints.yaml"
    path.write_text("entries:\n  - {id: a, name: Border Gate}\n  - {id: b, name: Other, aliases: [border-gate]}\n",
                    encoding="utf-8")
    gz = gazetteer_module.Gazetteer("checkpoints")
    with pytest.raises(GazetteerError, match="'border-gate' names both a and b"):
        gz.add_file(path)


@pytest.mark.parametrize("name", ["Friendship Bridge", "friendship-bridge", "สะพานมิตรภาพไทย-ลาว"])
def test_a_name_of_several_checkpoints_resolves_to_none(name: str) -> None:
    # feeds trial: "Friendship Bridge" always resolved to Nong Khai, though seven bridges bear it
    assert gazetteer("checkpoints").resolve(name) is None


def test_a_numbered_friendship_bridge_still_resolves_to_its_checkpoint() -> None:
    assert gazetteer("checkpoints").resolve("First Thai-Lao Friendship Bridge").id == "bcp-th-la-nong-khai"


def test_an_ambiguous_name_resolves_to_none_even_as_an_entrys_alias(tmp_path: Path) -> None:
    path = tmp_path / "checkpoints.yaml"
    path.write_text("ambiguous: [Border Gate]\nentries:\n  - {id: a, name: North Post, aliases: [border gate]}\n",
                    encoding="utf-8")
    gz = gazetteer_module.Gazetteer("checkpoints")
    gz.add_file(path)
    assert (gz.resolve("BORDER GATE"), gz.resolve("North Post").id) == (None, "a")


def test_a_deployment_adds_aliases_without_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "checkpoints-local.yaml").write_text(
        "entries:\n  - {id: bcp-th-mm-mae-sot, name: Mae Sot - Myawaddy, aliases: [Gate 5 Moei]}\n", encoding="utf-8")
    monkeypatch.setenv("LINTAS_GAZETTEERS", str(tmp_path))
    gazetteer.cache_clear()
    try:
        assert gazetteer("checkpoints").resolve("GATE 5 MOEI").id == "bcp-th-mm-mae-sot"
    finally:
        monkeypatch.delenv("LINTAS_GAZETTEERS")
        gazetteer.cache_clear()


def test_a_deployment_entry_of_a_known_id_may_give_aliases_alone(tmp_path: Path) -> None:
    # new-user report: the README said so, and the loader answered "an entry needs an id and a name"
    path = tmp_path / "banks-local.yaml"
    path.write_text("entries:\n  - {id: ph-bdo, aliases: [BDO Unibank Inc.]}\n", encoding="utf-8")
    gz = gazetteer_module.Gazetteer("banks")
    gz.add_file(gazetteer_module.SEED / "banks.yaml")
    gz.add_file(path)
    assert (gz.resolve("BDO Unibank Inc.").id, gz.resolve("BDO Unibank Inc.").name) == ("ph-bdo", "BDO Unibank")


def test_a_deployment_entry_of_a_new_id_needs_a_name_and_the_error_names_its_file(tmp_path: Path) -> None:
    path = tmp_path / "banks-local.yaml"
    path.write_text("entries:\n  - {id: ph-new, aliases: [New Bank]}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=f"^{path}: an entry needs an id and a name"):
        gazetteer_module.Gazetteer("banks").add_file(path)


async def _count(store: Any, label: str) -> int:
    return int((await store.read("ingest/count_label", label=label))[0]["n"])


async def test_two_crossing_layouts_meet_the_gazetteers_checkpoints_on_the_store(backend_empty_store) -> None:
    store = backend_empty_store
    s = await run_load(store, GazetteerReader(kinds=("checkpoints",)), source="gazetteer", provenance=PROV)
    assert (s.rows_read, s.rows_rejected) == (34, 0)
    await run_load(store, MappedCsvReader(load_mapping("crossings"), [SAMPLES / "crossings.synthetic.csv"]),
                   source="partner-immigration", provenance=PROV)
    tm = MappedCsvReader(load_mapping(MAPPINGS / "partners" / "crossings-tm.yaml"),
                         [SAMPLES / "crossings-tm.synthetic.csv"])
    await run_load(store, tm, source="partner-immigration", provenance=PROV)
    # the samples name 8 checkpoints: 7 the gazetteer knows, and the informal Moei crossing
    assert await _count(store, "BorderCheckpoint") == 35
    assert (await node_props(store, "checkpoint-TH-MOEI-INFORMAL"))["unresolvedPlace"] is True
    mae_sot = await node_props(store, "bcp-th-mm-mae-sot")
    assert (mae_sot["lat"], mae_sot["lon"]) == (16.70, 98.52)
    before = await graph_counts(store)
    await run_load(store, GazetteerReader(kinds=("checkpoints",)), source="gazetteer", provenance=PROV)
    assert await graph_counts(store) == before


async def test_the_case_samples_make_no_unresolved_compound(backend_empty_store) -> None:
    store = backend_empty_store
    await run_load(store, GazetteerReader(kinds=("compounds",)), source="gazetteer", provenance=PROV)
    for mapping, sample in SHIPPED:
        if sample.name.startswith("cases"):
            s = await run_load(store, MappedCsvReader(load_mapping(mapping), [sample]),
                               source="partner-police-cases", provenance=PROV)
            assert s.rows_read == s.rows_loaded + s.rows_rejected == 400
    # the samples name 5 compounds, all in the gazetteer: its 7 nodes and no other
    assert await _count(store, "Compound") == 7
    assert await store.read("ingest/distinct_values", label="Compound", property="unresolvedPlace") == []
    jin_bei = await node_props(store, "cmp-kh-jin-bei")
    assert (jin_bei["name"], "Jin Bei compound, Sihanoukville" in jin_bei["alias"]) == ("Jin Bei", True)


def test_a_compounds_coordinates_reach_its_node_and_an_impossible_one_is_rejected(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "compounds-local.yaml").write_text(
        "entries:\n  - {id: cmp-xx-geo, name: Geo Test Compound, country: MM, lat: 16.76, lon: 98.53}\n"
        "  - {id: cmp-xx-bad, name: Bad Geo Compound, country: MM, lat: 97.0, lon: 98.53}\n", encoding="utf-8")
    monkeypatch.setenv("LINTAS_GAZETTEERS", str(tmp_path))
    gazetteer.cache_clear()
    try:
        items = list(GazetteerReader(kinds=("compounds",)).records())
    finally:
        monkeypatch.delenv("LINTAS_GAZETTEERS")
        gazetteer.cache_clear()
    nodes = {r.id: r.properties for r in items if isinstance(r, NodeRecord)}
    assert (nodes["cmp-xx-geo"]["lat"], nodes["cmp-xx-geo"]["lon"]) == (16.76, 98.53)
    assert "cmp-xx-bad" not in nodes
    assert [r.reason for r in items if not isinstance(r, NodeRecord) and "cmp-xx-bad" in r.reason] == [
        "cmp-xx-bad: lat 97.0 is not between -90 and 90 degrees"]


def test_a_banks_legal_name_is_an_alias_and_no_legal_form_is_stripped() -> None:
    # new-user report: "BDO Unibank Inc." split an account; attack round 14, K7: stripping forms
    # anywhere made CIMB's Cambodian "CIMB Bank Plc" Malaysia's CIMB Bank
    assert gazetteer("banks").resolve("BDO Unibank Inc.").id == "ph-bdo"
    assert gazetteer("banks").resolve("CIMB Bank Plc") is None


def test_every_checkpoint_position_says_where_it_comes_from() -> None:
    # issue 13: coordinates from a citable source only; each entry's `position` names it and its precision
    entries = gazetteer("checkpoints").entries.values()
    placed = {e.id: str(e.get("position")) for e in entries if e.get("lat") is not None}
    assert [e.id for e in entries if (e.get("lat") is None) != (e.get("position") is None)] == []
    sourced = [i for i, p in placed.items() if p.startswith("GeoNames ") and p.endswith(": the town, ~5-10 km")]
    engineers = [i for i, p in placed.items() if p.startswith("the engineers' ")]
    assert sorted(sourced + engineers) == sorted(placed) and (len(sourced), len(engineers)) == (16, 7)


def test_a_checkpoint_placed_at_its_geonames_town_reaches_its_node_with_that_position() -> None:
    nodes = {r.id: r.properties for r in GazetteerReader(kinds=("checkpoints",)).records()
             if isinstance(r, NodeRecord)}
    assert gazetteer("checkpoints").entries["bcp-th-mm-ranong"].get("position") == (
        "GeoNames 1150965 Ranong (TH): the town, ~5-10 km")
    assert (nodes["bcp-th-mm-ranong"]["lat"], nodes["bcp-th-mm-ranong"]["lon"]) == (9.97, 98.63)
    assert "lat" not in nodes["bcp-th-my-padang-besar"]  # GeoNames' Padang Besar is another, in Kedah


async def test_an_amber_crossings_feed_refers_to_the_public_checkpoints_without_a_refusal(backend_empty_store) -> None:
    # new-user trial 6: the feed's own spelling of each checkpoint was refused as "would disclose"
    # (5 restricted records), and so every replace of the feed was skipped
    from graphapi.ingest.reference_data import ensure_reference_data

    store = backend_empty_store
    await ensure_reference_data(store)
    amber = Provenance(owner="TH-IMM", tlp="AMBER", seen="2026-01-01T00:00:00Z")
    reader = MappedCsvReader(load_mapping("crossings"), [SAMPLES / "crossings.synthetic.csv"])
    s = await run_load(store, reader, source="th-imm-xings", provenance=amber, viewer="TH-IMM", replace=True)
    assert (s.rows_rejected, s.restricted, s.replace_skipped, s.rejections) == (0, 0, None, [])
    pakkard = await node_props(store, "bcp-th-kh-ban-pakkard")
    assert (pakkard["owner"], pakkard["tlp"], pakkard["sources"]) == ("public", "CLEAR", ["gazetteer"])
    [crossed] = await store.read("ingest/count_incoming", {"id": "bcp-th-kh-ban-pakkard"}, type="CROSSED")
    assert crossed["n"] > 0


def test_a_place_no_gazetteer_knows_is_a_warning_with_its_file_and_line_once_per_place(tmp_path: Path) -> None:
    # new-user trial 6: nothing named the unknown checkpoints of a feed, not `mapping check` either
    path = tmp_path / "crossings.csv"
    path.write_text("\n".join([HEADER, _row(1, "BCP-99", "Ban Nong Ngam"), _row(2, "MS-1", "Mae Sot"),
                               _row(3, "BCP-99", "Ban Nong Ngam")]) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping("crossings"), [path])
    list(reader.records())
    assert [(w.file, w.line, w.reason) for w in reader.stats.warnings] == [
        ("crossings.csv", 2, "unknown place: BorderCheckpoint checkpoint-BCP-99 ('Ban Nong Ngam') is in no gazetteer; "
                             "made from the feed's own id, flagged unresolvedPlace (a deployment adds it: "
                             "seed/gazetteers/README.md)")]
