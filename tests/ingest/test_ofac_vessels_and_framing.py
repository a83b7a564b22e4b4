"""OFAC SDN vessels and aircraft are loaded as Vessel / Airplane with the particulars the list
gives, and the lines of a file that are no data (a header, a preamble, the DOS end-of-file
byte) are neither read nor rejected rows: rows read = loaded + rejected, and the only rejects are
really malformed rows."""

from __future__ import annotations

from pathlib import Path

from ingest_helpers import data_dir

from graphapi.ingest.readers.ofac import OfacReader
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

SDN = data_dir("ofac") / "sdn_sea_scam_subset.csv"
ADD = data_dir("ofac") / "add_sea_scam_subset.csv"
HEADER = "ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\n"
OWNER = '9001,"OCEAN SHIPPING CO LTD",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
TANKER = ('9002,"ADRIAN DARYA 1","vessel","IRAN-EO13846] [SDGT",-0- ,"9HA4659","Crude Oil Tanker","2,500",'
          '"150,000","Malta","OCEAN SHIPPING CO LTD","Vessel Registration Identification IMO 9116412; '
          'MMSI 256633000; Former Vessel Flag Panama; alt. Former Vessel Flag Iran; '
          'Vessel Year of Build 1997; f.k.a. \'GRACE 1\'; Linked To: OCEAN SHIPPING CO LTD."\n')
AIRCRAFT = ('9003,"EP-GOL","aircraft","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Aircraft Construction Number '
            '(also called L/N or S/N or F/N) 8401; Aircraft Manufacture Date 1992; Aircraft Model IL76-TD; '
            "Aircraft Operator OCEAN SHIPPING CO LTD; Aircraft Manufacturer's Serial Number (MSN) 1023410355; "
            'Aircraft Tail Number EP-GOL; Previous Aircraft Tail Number UR-BXM; Linked To: OCEAN SHIPPING CO LTD."\n')


def _items(path: Path, add: Path | None = None) -> tuple[OfacReader, list]:
    reader = OfacReader(path, add)
    return reader, list(reader.records())


def _node(items: list, node_id: str) -> NodeRecord:
    return next(i for i in items if isinstance(i, NodeRecord) and i.id == node_id)


def _edges(items: list, rel: str) -> set[tuple[str, str]]:
    return {(i.start, i.end) for i in items if isinstance(i, EdgeRecord) and i.type == rel}


def test_an_ofac_vessel_is_a_vessel_with_imo_call_sign_flag_owner_and_tonnage(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(OWNER + TANKER, encoding="utf-8")
    reader, items = _items(sdn)
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)
    ship = _node(items, "ofac-9002")
    assert ship.label == "Vessel"
    assert {k: ship.properties[k] for k in ("imoNumber", "mmsi", "callSign", "flag", "pastFlags", "vesselType",
                                            "tonnage", "grossRegisteredTonnage", "ownerName", "buildDate",
                                            "alias")} == {
        "imoNumber": "IMO9116412", "mmsi": "256633000", "callSign": "9HA4659", "flag": "MT",
        "pastFlags": ["PA", "IR"], "vesselType": "Crude Oil Tanker", "tonnage": 2500.0,
        "grossRegisteredTonnage": 150000.0, "ownerName": "OCEAN SHIPPING CO LTD", "buildDate": "1997",
        "alias": ["GRACE 1"]}
    assert _edges(items, "OWNS") == {("ofac-9001", "ofac-9002")}
    assert ("ofac-9002", "ofac-9001") in _edges(items, "LINKED_TO")
    assert {e for _, e in _edges(items, "SANCTIONED") if _ == "ofac-9002"} == {
        "sanction:OFAC|IRAN-EO13846", "sanction:OFAC|SDGT"}


def test_an_ofac_aircraft_is_an_airplane_with_tail_and_serial_numbers_and_operator(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(OWNER + AIRCRAFT, encoding="utf-8")
    reader, items = _items(sdn)
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)
    plane = _node(items, "ofac-9003")
    assert plane.label == "Airplane"
    assert {k: plane.properties[k] for k in ("registrationNumber", "serialNumber", "model", "buildDate",
                                             "operatorName")} == {
        "registrationNumber": ["EP-GOL", "UR-BXM"], "serialNumber": ["8401", "1023410355"],
        "model": "IL76-TD", "buildDate": "1992", "operatorName": "OCEAN SHIPPING CO LTD"}
    assert _edges(items, "OPERATES_CRAFT") == {("ofac-9001", "ofac-9003")}


def test_the_dos_end_of_file_byte_is_no_rejected_row(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes((OWNER + TANKER).encode() + b"\x1a")
    reader, items = _items(sdn)
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)
    assert reader.skipped == [("sdn.csv", 3, "end-of-file byte 0x1A")]


def test_an_unclosed_quote_rejects_its_row_at_its_line_and_the_next_row_loads(tmp_path: Path) -> None:
    broken = '9009,"BROKEN, Row","individual","TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1980; unclosed\n'
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(OWNER + broken + TANKER, encoding="utf-8")
    reader, items = _items(sdn)
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (2, "unreadable CSV row: unclosed quote: a quoted field is not closed on line 2 (a record is one line)")]
    assert {"ofac-9001", "ofac-9002"} <= {i.id for i in items if isinstance(i, NodeRecord)}
    assert (reader.stats.rows, reader.stats.rejected) == (3, 1)


def test_a_row_cut_inside_its_name_does_not_make_one_invented_entry_of_itself_and_the_next_row(
        tmp_path: Path) -> None:
    # read as multi-line records, '9009,"BROKEN, Ro' and the tanker's row parsed as ONE entry of 12
    # fields, ofac-9009 named 'BROKEN, Ro\n9002,ADRIAN DARYA 1"': the tanker was lost, nothing rejected.
    # OFAC's legacy files hold no line break inside a field: a record is one line
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(OWNER + '9009,"BROKEN, Ro\n' + TANKER, encoding="utf-8")
    reader, items = _items(sdn)
    assert [r.line for r in items if isinstance(r, Rejection)] == [2]
    assert {i.id for i in items if isinstance(i, NodeRecord) and i.id.startswith("ofac-")} == {"ofac-9001", "ofac-9002"}
    assert _node(items, "ofac-9002").properties["name"] == "ADRIAN DARYA 1"
    assert (reader.stats.rows, reader.stats.rejected) == (3, 1)


def test_a_preamble_and_a_repeated_header_are_skipped_and_named_not_rejected(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text("Specially Designated Nationals List,03/12/2026\n" + HEADER + OWNER + HEADER + TANKER,
                   encoding="utf-8")
    reader, items = _items(sdn)
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)
    assert [(line, what.split(" ")[0]) for _, line, what in reader.skipped] == [
        (1, "preamble"), (2, "header"), (4, "header")]


def test_a_file_of_other_wide_rows_is_rejected_row_by_row_not_skipped_as_a_preamble(tmp_path: Path) -> None:
    # a call-record feed given as the SDN list: its header and rows are no preamble
    sdn = tmp_path / "cdr.csv"
    sdn.write_text("caller,callee,started,duration_s,cell,imei,operator,country\n"
                   + "".join(f"+6681000000{i},+6681000001{i},2026-01-0{i}T10:00:00,60,c1,x,AIS,TH\n"
                             for i in range(1, 6)), encoding="utf-8")
    reader, items = _items(sdn)
    assert (reader.stats.rows, reader.stats.rejected) == (6, 6)
    assert reader.skipped == []
    assert {r.reason for r in items if isinstance(r, Rejection)} == {"SDN row has 8 fields, expected 12"}


def test_only_three_short_rows_before_the_data_are_a_preamble(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text("Title\nDate,2026\nNote\nAnother note\n" + OWNER, encoding="utf-8")
    reader, items = _items(sdn)
    assert [line for _, line, _ in reader.skipped] == [1, 2, 3]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


def test_a_short_row_after_the_data_began_is_still_a_rejected_row(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(OWNER + "not,a,row\n" + TANKER, encoding="utf-8")
    reader, items = _items(sdn)
    assert (reader.stats.rows, reader.stats.rejected) == (3, 1)
    assert [(r.file, r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        ("sdn.csv", 2, "SDN row has 3 fields, expected 12")]


def test_the_real_sdn_files_framed_as_ofac_publishes_them_read_every_row_and_reject_none(tmp_path: Path) -> None:
    # the real subset as OFAC's full files come: a header, vessels and aircraft, the 0x1A byte
    sdn, add = tmp_path / "sdn.csv", tmp_path / "add.csv"
    sdn.write_bytes(HEADER.encode() + SDN.read_bytes() + (OWNER + TANKER + AIRCRAFT).encode() + b"\x1a")
    add.write_bytes(ADD.read_bytes() + b"\x1a")
    reader, items = _items(sdn, add)
    assert (reader.stats.rows, reader.stats.rejected) == (207 + 3 + 136, 0)
    assert reader.stats.loaded == reader.stats.rows - reader.stats.rejected
    assert [what for _, _, what in reader.skipped] == ["end-of-file byte 0x1A", "header row",
                                                       "end-of-file byte 0x1A"]
    labels = [i.label for i in items if isinstance(i, NodeRecord) and i.id in ("ofac-9002", "ofac-9003")]
    assert labels == ["Vessel", "Airplane"]


async def test_vessels_and_aircraft_are_stored_and_a_reload_changes_no_count(empty_store, tmp_path: Path) -> None:
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.writer import Provenance

    prov = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes((HEADER + OWNER + TANKER + AIRCRAFT).encode() + b"\x1a")
    counts = []
    for _ in range(2):
        s = await run_load(empty_store, OfacReader(sdn), source="ofac-sdn", provenance=prov)
        assert (s.rows_read, s.rows_rejected) == (3, 0)
        counts.append([int((await empty_store.read("ingest/count_label", label=lb))[0]["n"])
                       for lb in ("Vessel", "Airplane")])
    assert counts == [[1, 1], [1, 1]]


def test_an_sdn_like_full_list_reads_every_row_and_rejects_only_the_malformed_ones(tmp_path: Path) -> None:
    from sdn_like import write_sdn_like

    sdn = tmp_path / "sdn.csv"
    bad = write_sdn_like(sdn, 1500)
    reader, items = _items(sdn)
    rejects = [(r.line, r.reason) for r in items if isinstance(r, Rejection)]
    assert reader.stats.rows == 1500 + len(bad) == reader.stats.loaded + reader.stats.rejected
    assert rejects == [(bad[0], "SDN row has 3 fields, expected 12"), (bad[1], "ent_num 'X1' is not a number"),
                       (bad[2], "NUL character in a value"), (bad[3], f"duplicate ent_num {10000 + 1200}")]
    labels = [i.label for i in items if isinstance(i, NodeRecord) and i.id.startswith("ofac-1")]
    assert (labels.count("Vessel"), labels.count("Airplane")) == (94, 5)  # fixed seed


def test_a_full_size_sdn_like_list_of_18000_rows_reads_as_loaded_plus_rejected(tmp_path: Path) -> None:
    # the size of OFAC's full list (about 18,000 rows); the reader only, no store: about 4 s on an idle core
    from sdn_like import write_sdn_like

    sdn = tmp_path / "sdn.csv"
    bad = write_sdn_like(sdn, 18_000)
    reader, items = _items(sdn)
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (18_004, 18_000, 4)
    assert [r.line for r in items if isinstance(r, Rejection)] == bad  # the 4 planted malformed rows
    assert [what for _, _, what in reader.skipped] == ["end-of-file byte 0x1A", "header row"]
    listed = {i.id: i.label for i in items if isinstance(i, NodeRecord) and not i.unresolved
              and i.id.removeprefix("ofac-").isdigit()}  # one node per SDN row (fixed seed)
    labels = list(listed.values())
    assert [labels.count(lb) for lb in ("Person", "Company", "Vessel", "Airplane")] == [8_714, 8_209, 1_003, 74]
