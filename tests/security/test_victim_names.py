"""Free text naming a victim (graphapi/security/victim_names.py): whole words, normalised."""

import pytest

from graphapi.security import Principal
from graphapi.security.victim_names import NameScrubber, victim_names

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

DOCUMENT = "document:9f2c1a0e5d7b4c3a2f1e0d9c8b7a69584736251403f2e1d0c9b8a7968574a3b2"
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def test_scrubber_redacts_a_name_in_any_case_and_accents():
    scrub = NameScrubber(["Nguyen Van An"]).scrub
    assert scrub("Rescue interview of Nguyen Van An") == "Rescue interview of [redacted]"
    assert scrub("NGUYỄN VĂN AN, 23, said") == "[redacted], 23, said"
    assert scrub("per-nguyen-van-an") == "per-[redacted]"


def test_scrubber_matches_whole_runs_of_words_only():
    scrub = NameScrubber(["Nguyen Van An"]).scrub
    assert scrub("Van An and Nguyen Van Anh") == "Van An and Nguyen Van Anh"


def test_scrubber_finds_a_name_joined_by_underscores_or_fused_by_case():
    """File and dataset names write a name as one word (attack10 F8); a case change or ``_`` cuts it."""
    scrub = NameScrubber(["Nguyễn Văn An"]).scrub
    assert scrub("nguyen_van_an_interview.ftm:1") == "[redacted]_interview.ftm:1"
    assert scrub("NGUYEN_VAN_AN.pdf") == "[redacted].pdf"
    assert scrub("NguyenVanAn notes, NGUYENVanAN, NguyễnVănAn") == "[redacted] notes, [redacted], [redacted]"
    assert scrub("NguyenVanAnh_2025") == "NguyenVanAnh_2025"


def test_scrubber_finds_a_name_written_as_one_lower_or_upper_case_word():
    """A name fused into one word without case changes (issue 10, item 2): "nguyenvanan"."""
    scrub = NameScrubber(["Nguyễn Văn An"]).scrub
    assert scrub("file nguyenvanan.pdf, NGUYENVANAN, nguyễnvănan") == "file [redacted].pdf, [redacted], [redacted]"
    assert scrub("nguyenvananh nguyenvan") == "nguyenvananh nguyenvan"


def test_scrubber_looks_for_fused_names_of_eight_letters_or_more_only():
    scrub = NameScrubber(["Li Na", "Sun Day", "Tran Thi Hoa"]).scrub
    assert scrub("lina on sunday, TRANTHIHOA") == "lina on sunday, [redacted]"


def test_scrubber_ignores_one_word_names_shorter_than_six_letters():
    scrubber = NameScrubber(["An", "Lucky", "C7654321"])
    assert scrubber.scrub("a lucky interview, passport C7654321") == "a lucky interview, passport [redacted]"


def test_scrubber_walks_lists_and_maps_and_says_whether_it_changed_them():
    scrubber = NameScrubber(["Nguyen Van An"])
    assert scrubber.scrub_value(["ok", {"note": "met Nguyen Van An"}]) == (["ok", {"note": "met [redacted]"}], True)
    assert scrubber.scrub_value(3) == (3, False)


@pytest.mark.asyncio(loop_scope="session")
async def test_victim_names_are_read_for_a_victim_and_the_entities_next_to_them_or_their_case_only(fixture_graph):
    # the recruiter and the compound the victim was held at are next to him (their notes may name
    # him); the recruiter's phone is not
    shown = [DOCUMENT, "per-nguyen-van-an", "per-somchai", "cmp-lucky-dragon", "phone:+66812345678"]
    scrubbers = await victim_names(fixture_graph, TH, shown)
    assert sorted(scrubbers) == sorted([DOCUMENT, "per-nguyen-van-an", "per-somchai", "cmp-lucky-dragon"])
    text = "Nguyễn Văn An / C7654321 / Somchai Prasert"
    assert scrubbers[DOCUMENT].scrub(text) == "[redacted] / [redacted] / Somchai Prasert"
