"""OFAC "Linked To: NAME." targets and craft owners find the ONE entry bearing the name, in any script
(attack round 31: a name two SDN entries share linked to whichever came first, and a name in another
script keyed "" and linked to the first entry with any non-Latin alias). Real file
(/work/shared/data/ofac/sdn_sea_scam_subset.csv, else seed's copy) with rows appended."""
from ingest_helpers import data_dir

from graphapi.ingest.readers.ofac import OfacReader
from graphapi.ingest.readers.ofac_links import SdnNames, sdn_key
from graphapi.ingest.records import EdgeRecord, NodeRecord

DATA = data_dir("ofac")
TAIL = (
    '99901,"SOMPONG, Test","individual","TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1970; nationality Laos."\n'
    '99902,"SOMPONG, Test","individual","TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 02 Feb 1985."\n'
    '99903,"LINKER TRADING CO., LTD.",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: SOMPONG, Test."\n'
    '99904,"ALPHA HOLDINGS LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'阿尔法控股\'."\n'
    '99905,"BETA GROUP LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: 贝塔集团."\n'
    '99906,"GAMMA LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: 阿尔法控股."\n'
    '99907,"DELTA LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: 伽马集团."\n'
    '99908,"ISTANBUL GOLD",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: KO SANG."\n'
    '99909,"KOS ANG",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
    '99910,"KHAN, Ali","individual","TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1970; Linked To: KHAN, Ali."\n'
    '99911,"ALIKHAN TRADING",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'KHAN ALI\'."\n'
)


def _read(tmp_path):
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes((DATA / "sdn_sea_scam_subset.csv").read_bytes() + TAIL.encode())
    reader = OfacReader(sdn)
    items = list(reader.records())
    assert reader.stats.rows == 218 and reader.stats.loaded == 218 and reader.stats.rejected == 0
    return reader, items


def _records(tmp_path, rows):
    """The records the OFAC reader makes of an sdn.csv holding ``rows`` alone."""
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(rows, encoding="utf-8")
    return list(OfacReader(sdn).records())


def _links(items, start):
    return [e.end for e in items if isinstance(e, EdgeRecord) and e.type == "LINKED_TO" and e.start == start]


def test_a_link_to_a_name_two_entries_share_goes_to_neither_namesake(tmp_path):
    reader, items = _read(tmp_path)
    assert _links(items, "ofac-99903") == ["ofac-ref:sompong test"]
    placeholder = next(i for i in items if isinstance(i, NodeRecord) and i.id == "ofac-ref:sompong test")
    assert (placeholder.unresolved, placeholder.properties["name"]) == (True, "SOMPONG, Test")
    assert [w.reason for w in reader.stats.warnings if "SOMPONG" in w.reason] == [
        "Linked To 'SOMPONG, Test' names 2 SDN entries (ofac-99901, ofac-99902): "
        "linked to a placeholder of the name, not to any of them"]


def test_a_link_to_a_name_in_another_script_reaches_the_entry_bearing_it_only(tmp_path):
    _, items = _read(tmp_path)
    assert _links(items, "ofac-99906") == ["ofac-99904"]  # 阿尔法控股 is ALPHA's a.k.a.
    assert _links(items, "ofac-99905") == ["ofac-ref:贝塔集团"]  # no entry bears it
    assert _links(items, "ofac-99907") == ["ofac-ref:伽马集团"]  # nor this one: its own placeholder


def test_the_real_subset_links_as_before(tmp_path):
    reader = OfacReader(DATA / "sdn_sea_scam_subset.csv")
    items = list(reader.records())
    links = [(e.start, e.end) for e in items if isinstance(e, EdgeRecord) and e.type == "LINKED_TO"]
    assert len(links) >= 160 and not reader.stats.warnings
    assert all(not end.startswith("ofac-ref:") or end[9:] for _, end in links)


def test_the_key_of_a_name_keeps_letters_of_every_script_and_drops_punctuation():
    assert sdn_key("PRINCE GROUP CO. LTD..") == sdn_key("Prince Group Co Ltd") == "prince group co ltd"
    assert sdn_key("贝塔集团") == sdn_key("贝塔 集团") == "贝塔集团" and sdn_key("ＫＢＡＮＫ") == "kbank"
    assert sdn_key("Nguyễn Văn") != sdn_key("Nguyn Vn")
    assert sdn_key("-.") == ""


def test_an_entrys_own_name_means_the_other_bearer_and_names_come_before_aliases():
    names = SdnNames()
    names.add("a", "SOMPONG, Test", [])
    names.add("b", "SOMPONG, Test", ["Beta"])
    names.add("c", "Beta", [])
    assert names.bearers("Sompong Test", "a") == ["b"]
    assert names.bearers("Sompong Test", "c") == ["a", "b"]
    assert names.bearers("BETA", "a") == ["c"]
    assert names.bearers("Beta", "c") == ["b"]  # its own name: the one other bearer, by alias
    assert names.bearers("nobody", "a") == []


def test_a_link_never_reaches_an_entry_whose_name_splits_the_same_letters_into_other_words(tmp_path):
    _, items = _read(tmp_path)
    assert _links(items, "ofac-99908") == ["ofac-ref:ko sang"]  # KOS ANG is another name


def test_names_whose_words_differ_have_different_keys():
    assert sdn_key("KO SANG") != sdn_key("KOS ANG")
    assert sdn_key("HO ANG") != sdn_key("HOANG") and sdn_key("LI NA") != sdn_key("LINA")
    assert sdn_key("KHAN, Ali") == sdn_key("khan  ali.") == "khan ali"


def test_an_entrys_own_name_links_the_one_entry_bearing_it_as_an_alias(tmp_path):
    reader, items = _read(tmp_path)
    assert _links(items, "ofac-99910") == ["ofac-99911"]
    assert not [w for w in reader.stats.warnings if "KHAN" in w.reason]


def test_single_letters_in_a_row_are_one_word_however_dotted_or_spaced():
    assert sdn_key("OMEGA S.A.") == sdn_key("OMEGA S. A.") == sdn_key("Omega SA") == "omega sa"
    assert sdn_key("TAU L.L.C.") == sdn_key("TAU LLC") == "tau llc"
    assert sdn_key("LEE, J.H.") == sdn_key("LEE, J. H.") == "lee jh"
    assert sdn_key("S.A. DE C.V.") == "sa de cv"
    assert sdn_key("1.5 A.B") == "1 5 ab"  # digits are no letters


def test_a_link_written_without_the_dots_of_the_entrys_initialism_reaches_it(tmp_path):
    items = _records(
        tmp_path,
        '99912,"OMEGA S.A.",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        '99913,"SIGMA LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: OMEGA SA."\n'
        '99914,"TAU LLC",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        '99915,"RHO LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: TAU L.L.C.."\n')
    assert _links(items, "ofac-99913") == ["ofac-99912"] and _links(items, "ofac-99915") == ["ofac-99914"]


def test_a_link_reaches_the_entry_whose_initials_are_spaced(tmp_path):
    items = _records(
        tmp_path,
        '99912,"OMEGA S. A.",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        '99913,"SIGMA LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: OMEGA S.A.."\n'
        '99916,"LEE, J. H.","individual","TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1970."\n'
        '99917,"KAPPA LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: LEE, J.H.."\n')
    assert _links(items, "ofac-99913") == ["ofac-99912"] and _links(items, "ofac-99917") == ["ofac-99916"]


def test_two_entries_whose_names_differ_only_in_spaced_letters_each_keep_their_links(tmp_path):
    items = _records(
        tmp_path,
        '99920,"ABC LTD",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        '99921,"A B C LTD",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        '99922,"SIGMA LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: ABC LTD.."\n'
        '99923,"KAPPA LIMITED",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: A B C LTD.."\n')
    assert _links(items, "ofac-99922") == ["ofac-99920"] and _links(items, "ofac-99923") == ["ofac-99921"]


def test_an_entrys_own_name_beats_another_entrys_alias_written_without_its_dots():
    names = SdnNames()
    names.add("X", "OMEGA S.A.", [])
    names.add("Y", "DELTA TRADING", ["OMEGA SA"])
    assert names.bearers("OMEGA SA", "Z") == names.bearers("OMEGA S.A.", "Z") == ["X"]
