"""A load without victim-data is told a right guess of its own agency's victim's item as a wrong
one, whichever way its record meets the item (attack round a-60, 1): at a stricter level than the
item's (kept apart, or nothing to disclose), through the ``ingest`` mutation at its default AMBER,
as a link naming the item by id alone, as a record of another label, as a DEL after the guess, and
as a link to the victim's quarantined phone (graphapi/ingest/blind_values.py)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.service import build_records, ingest_records
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model
from graphapi.security import Principal
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import (
    NUMBER,
    _document,
    _told,
    _victim_with_passport,
)
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, SOURCE, _load, _victim
from tests.investigate.graphql_answers import answer

pytestmark = pytest.mark.backends
WRONG = "BB7654321"
LOADER = Principal("loader-th", agency=AGENCY, roles=frozenset({"loader"}))


async def _load_at(store, tlp, records):
    return await run_load(store, Records(*records), source=SOURCE, viewer=AGENCY, victim_blind=True,
                          provenance=Provenance(AGENCY, tlp, (), "2026-05-01T00:00:00Z"))


def _report(summary, number):
    """What the load is told, with the guessed number written alike (the report names the record's ids)."""
    lines = [r.reason for r in summary.rejections] + [u.reason for u in summary.unlinked] + [
        w.reason for w in summary.warned]
    return {**_told(summary), "dangling": summary.dangling, "warnings": summary.warnings,
            "quarantined": summary.quarantined, "lines": [line.replace(number, "<n>") for line in lines]}


@pytest.mark.parametrize("tlp", ["AMBER", "RED"])
async def test_a_guess_at_a_stricter_level_than_the_victims_item_is_told_created(empty_store, tlp):
    await _victim_with_passport(empty_store)  # GREEN
    told = {}
    for number in (WRONG, NUMBER):
        told[number] = _report(await _load_at(empty_store, tlp, build_records(_document(number)[:1], SOURCE)[0]),
                               number)
    assert told[NUMBER] == told[WRONG]
    assert (told[NUMBER]["nodes_created"], told[NUMBER]["nodes_unchanged"]) == (1, 0)


@pytest.mark.parametrize("tlp", ["AMBER", "RED"])
async def test_a_guess_at_a_stricter_level_said_again_is_told_unchanged(empty_store, tlp):
    await _victim_with_passport(empty_store)
    for number in (WRONG, NUMBER):
        await _load_at(empty_store, tlp, build_records(_document(number)[:1], SOURCE)[0])
    told = {}
    for number in (WRONG, NUMBER):
        told[number] = _report(await _load_at(empty_store, tlp, build_records(_document(number)[:1], SOURCE)[0]),
                               number)
    assert told[NUMBER] == told[WRONG]
    assert (told[NUMBER]["nodes_created"], told[NUMBER]["nodes_unchanged"]) == (0, 1)


async def test_the_ingest_mutation_at_its_default_level_tells_a_guess_created(empty_store):
    await _victim(empty_store)
    await _load(empty_store, *_document(NUMBER), victim_data=True)  # an officer's load job's passport
    ask = "mutation($r: [JSON!]!) { ingest(records: $r) { accepted nodesCreated relationshipsCreated } }"
    wrong = await answer(empty_store, LOADER, ask, r=_document(WRONG)[:1])
    right = await answer(empty_store, LOADER, ask, r=_document(NUMBER)[:1])
    assert right == wrong == {"ingest": {"accepted": 1, "nodesCreated": 1, "relationshipsCreated": 0}}


async def test_a_colleagues_passport_through_the_same_mutation_tells_a_guess_nothing(empty_store):
    await _victim_with_passport(empty_store)  # entered through the ingest mutation: graphql:TH-DSI
    ask = "mutation($r: [JSON!]!) { ingest(records: $r) { accepted nodesCreated } }"
    told = []
    for _ in range(2):  # a guess, then the same again
        wrong = await answer(empty_store, LOADER, ask, r=_document(WRONG)[:1])
        right = await answer(empty_store, LOADER, ask, r=_document(NUMBER)[:1])
        told.append((right, wrong))
    assert told == [({"ingest": {"accepted": 1, "nodesCreated": 1}},) * 2,
                    ({"ingest": {"accepted": 1, "nodesCreated": 0}},) * 2]


def _link_only(number):
    return [{"kind": "node", "label": "Person", "id": f"per-g-{number}", "properties": {"name": "Somchai Guess"}},
            {"type": "HOLDS_DOCUMENT", "from": f"per-g-{number}", "to": f"identity:TH|{number}", "properties": {}}]


async def test_a_link_naming_a_victims_document_by_id_alone_is_told_dangling_and_not_written(empty_store):
    await _victim_with_passport(empty_store)
    wrong = _report(await _load(empty_store, *_link_only(WRONG)), WRONG)
    right = _report(await _load(empty_store, *_link_only(NUMBER)), NUMBER)
    assert right == wrong
    assert (right["relationships_created"], right["dangling"], right["rows_rejected"]) == (0, 1, 1)
    link = load_model().relationship_id("HOLDS_DOCUMENT", f"per-g-{NUMBER}", f"identity:TH|{NUMBER}")
    links = await empty_store.read("ingest/existing_relationships", {"ids": [link]}, type="HOLDS_DOCUMENT")
    assert links == []


async def test_the_ingest_mutation_tells_a_link_to_a_victims_document_by_id_alone_rejected(empty_store):
    await _victim(empty_store)
    await _load(empty_store, *_document(NUMBER), victim_data=True)
    ask = ("mutation($r: [JSON!]!) { ingest(records: $r, tlp: GREEN) { accepted nodesCreated relationshipsCreated "
           "rejected { index } } }")

    def guess(number):
        return [{"kind": "node", "label": "Person", "id": f"per-g2-{number}", "properties": {"name": "X Y"}},
                {"kind": "relationship", "type": "HOLDS_DOCUMENT", "from": f"per-g2-{number}",
                 "to": f"identity:TH|{number}", "properties": {}}]

    wrong = await answer(empty_store, LOADER, ask, r=guess(WRONG))
    right = await answer(empty_store, LOADER, ask, r=guess(NUMBER))
    assert right == wrong == {"ingest": {"accepted": 1, "nodesCreated": 1, "relationshipsCreated": 0,
                                         "rejected": [{"index": 1}]}}


async def test_a_record_of_another_label_with_a_victims_person_id_is_told_created_not_a_conflict(empty_store):
    await _victim(empty_store)  # per-vic-1, a Person

    def organization(nid):
        return {"kind": "node", "label": "Organization", "id": nid, "properties": {"name": "Acme"}}

    wrong = _report(await _load(empty_store, organization("per-vic-9")), "per-vic-9")
    right = _report(await _load(empty_store, organization("per-vic-1")), "per-vic-1")
    assert right == wrong
    assert (right["nodes_created"], right["rows_rejected"], right["lines"]) == (1, 0, [])
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-vic-1"]})
    assert "Organization" not in row["labels"]


async def test_a_record_of_another_label_with_a_victims_person_id_said_again_is_told_unchanged(empty_store):
    await _victim(empty_store)

    def organization(nid):
        return {"kind": "node", "label": "Organization", "id": nid, "properties": {"name": "Acme"}}

    await _load(empty_store, organization("per-vic-9"))
    await _load(empty_store, organization("per-vic-1"))
    wrong = _report(await _load(empty_store, organization("per-vic-9")), "per-vic-9")
    right = _report(await _load(empty_store, organization("per-vic-1")), "per-vic-1")
    assert right == wrong
    assert (right["nodes_created"], right["nodes_unchanged"], right["lines"]) == (0, 1, [])


async def test_a_guess_deleted_again_under_its_source_is_told_deleted(empty_store):
    await _victim_with_passport(empty_store)
    told = {}
    for number in (WRONG, NUMBER):
        await _load(empty_store, *_document(number)[:1])
        nid = f"identity:TH|{number}"
        delete = NodeRecord("IdentityDocument", nid, {"country": "TH", "number": number},
                            Origin(SOURCE, "x.ftm", 1), op="delete")
        s = await _load_at(empty_store, "GREEN", [delete])
        told[number] = (s.nodes_deleted, s.nodes_retracted, s.statements_retracted)
    assert told[NUMBER] == told[WRONG] == (1, 0, 1)
    [kept] = await empty_store.read("ingest/existing_nodes", {"ids": [f"identity:TH|{NUMBER}"]})
    assert kept["props"]["sources"] == [f"graphql:{AGENCY}"]  # the victim's passport stays


@pytest.mark.parametrize("tlp", ["GREEN", "AMBER"])
async def test_a_guess_deleted_and_made_again_is_told_as_a_wrong_ones(empty_store, tlp):
    await _victim_with_passport(empty_store)
    told = {}
    for number in (WRONG, NUMBER):
        record = build_records(_document(number)[:1], SOURCE)[0]
        await _load_at(empty_store, tlp, record)
        delete = NodeRecord("IdentityDocument", f"identity:TH|{number}", {"country": "TH", "number": number},
                            Origin(SOURCE, "x.ftm", 1), op="delete")
        gone = await _load_at(empty_store, tlp, [delete])
        again = _report(await _load_at(empty_store, tlp, record), number)
        told[number] = (gone.nodes_deleted, gone.nodes_retracted, again["nodes_created"], again["statements_written"])
    assert told[NUMBER] == told[WRONG] == (1, 0, 1, 1)


async def test_a_link_to_a_victims_quarantined_phone_is_told_dangling_not_quarantined(empty_store):
    from tests.ingest.phone_holders import PHONE, load_holders
    await _victim(empty_store)
    linked = [{"type": "USES_PHONE", "from": "per-vic-1", "to": PHONE, "properties": {}},
              {"kind": "node", "label": "Phone", "properties": {"number": PHONE[6:]}}]
    assert not (await ingest_records(empty_store, linked, source=f"graphql:{AGENCY}", owner=AGENCY,
                                     tlp="GREEN")).rejected
    await load_holders(empty_store, [f"per-th-{i}" for i in range(3)], "th", AGENCY, "GREEN")
    await load_holders(empty_store, [f"per-th-{i}" for i in range(3, 6)], "th2", AGENCY, "GREEN")
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": [PHONE]})
    assert row["props"].get("quarantined")
    told = {}
    for phone in ("phone:+66899999999", PHONE):
        records = [{"kind": "node", "label": "Person", "id": f"per-q-{phone}", "properties": {"name": "Q"}},
                   {"type": "USES_PHONE", "from": f"per-q-{phone}", "to": phone, "properties": {}}]
        told[phone] = _report(await _load(empty_store, *records), phone)
    assert told[PHONE] == told["phone:+66899999999"]
    assert (told[PHONE]["quarantined"], told[PHONE]["warnings"], told[PHONE]["dangling"]) == (0, 0, 1)


async def test_a_record_and_link_of_a_victims_quarantined_phone_are_told_as_a_new_phones(empty_store):
    from tests.ingest.phone_holders import PHONE, load_holders
    await _victim(empty_store)
    linked = [{"type": "USES_PHONE", "from": "per-vic-1", "to": PHONE, "properties": {}},
              {"kind": "node", "label": "Phone", "properties": {"number": PHONE[6:]}}]
    assert not (await ingest_records(empty_store, linked, source=f"graphql:{AGENCY}", owner=AGENCY,
                                     tlp="GREEN")).rejected
    await load_holders(empty_store, [f"per-th-{i}" for i in range(6)], "th", AGENCY, "GREEN")
    told = {}
    for phone in ("phone:+66899999999", PHONE):
        records = [{"kind": "node", "label": "Person", "id": f"per-q-{phone}", "properties": {"name": "Q"}},
                   {"kind": "node", "label": "Phone", "properties": {"number": phone[6:]}},
                   {"type": "USES_PHONE", "from": f"per-q-{phone}", "to": phone, "properties": {}}]
        told[phone] = _report(await _load(empty_store, *records), phone)
    assert told[PHONE] == told["phone:+66899999999"]
    assert (told[PHONE]["quarantined"], told[PHONE]["relationships_created"], told[PHONE]["lines"]) == (0, 1, [])
