"""OFAC Remarks parser: facts, alt. entries, the 1000-character cut, names ending in a period."""

from __future__ import annotations

from graphapi.ingest.readers.ofac_remarks import REMARKS_MAX, parse_remarks, split_facts


def test_remarks_parse_person_facts() -> None:
    r = parse_remarks(
        "DOB 15 Dec 1969; alt. DOB 01 Jan 1964 to 17 Feb 1964; POB Inn village, Karen State, Burma; "
        "nationality Burma; citizen Cambodia; Gender Male; Passport N1922404 (Cambodia) expires "
        "30 Jun 2031; alt. Passport E56812460 (China); National ID No. 3LabanaN069004 (Burma); "
        "a.k.a. 'THU, Chit'; f.k.a. 'OLD NAME'; Email Address x@example.org; Phone Number 012 345 678; "
        "Linked To: KAREN NATIONAL ARMY."
    )
    assert r.dob == ["15 Dec 1969", "01 Jan 1964 to 17 Feb 1964"]
    assert r.pob == ["Inn village, Karen State, Burma"]
    assert r.nationality == ["Burma"] and r.citizen == ["Cambodia"] and r.gender == ["Male"]
    assert [(p.value, p.country) for p in r.passport] == [("N1922404", "Cambodia"), ("E56812460", "China")]
    assert r.passport[0].extra == "expires 30 Jun 2031"
    assert r.national_id[0].value == "3LabanaN069004"
    assert r.aka == ["THU, Chit", "OLD NAME"]
    assert r.email == ["x@example.org"] and r.phone == ["012 345 678"]
    assert r.linked_to == ["KAREN NATIONAL ARMY"]


def test_remarks_parse_organisation_facts() -> None:
    r = parse_remarks(
        "Website funnull.io; alt. Website funnull.com; Digital Currency Address - ETH "
        "0xd5ED34b52AC4ab84d8FA8A231a3218bbF01Ed510; Organization Established Date 07 Sep 2021; "
        "Organization Type: Other information technology; Tax ID No. L001-901700777 (Cambodia); "
        "Business Registration Number 00024082 (Cambodia); Target Type Financial Institution; "
        "Something Unknown 12."
    )
    assert r.website == ["funnull.io", "funnull.com"]
    assert r.wallets == [("ETH", "0xd5ED34b52AC4ab84d8FA8A231a3218bbF01Ed510")]
    assert r.established == ["07 Sep 2021"] and r.org_type == ["Other information technology"]
    assert r.tax[0].value == "L001-901700777" and r.registration[0].value == "00024082"
    assert r.target_type == ["Financial Institution"] and r.other == ["Something Unknown 12"]


def test_remarks_name_ending_in_period_keeps_it() -> None:
    r = parse_remarks("Tax ID No. 1 (Palau); Linked To: GRAND LEGEND CO. LTD..")
    assert r.linked_to == ["GRAND LEGEND CO. LTD."]


def test_remarks_cut_at_1000_characters_drops_last_fact() -> None:
    head = "; ".join(["alt. Digital Currency Address - XBT 36ia8qAE1k1PKQePdXENCm1YKLXxZyVnnc"] * 10)
    text = (head + "; alt. Digital Currency Address - XBT 3CuqLrZWn5oCe6DR" + "x" * 1000)[:REMARKS_MAX]
    facts, cut = split_facts(text)
    assert cut is not None and cut.startswith("alt. Digital Currency Address - XBT 3Cuq")
    assert all("3Cuq" not in f for f in facts)
    assert "3Cuq" not in str(parse_remarks(text).wallets)


def test_remarks_null_marker_is_empty() -> None:
    assert split_facts("-0- ") == ([], None)


def test_remarks_cut_that_ends_in_a_space_is_still_cut() -> None:
    head = "; ".join(["Website example-one.com"] * 60)
    text = head[:REMARKS_MAX - len("; Linked To: TEST ")] + "; Linked To: TEST "
    assert len(text) == REMARKS_MAX
    facts, cut = split_facts(text)
    assert cut == "Linked To: TEST" and all("TEST" not in f for f in facts)
    assert parse_remarks(text).linked_to == []
