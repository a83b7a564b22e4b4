"""A MOD or DEL of an FtM line replaces what that line said and nothing another line said (attack
round a-69: F1, F2, F5, F3, F4): after it the graph is what a fresh load of the lines left makes
(:mod:`fresh_load_check`)."""

import pytest
from fresh_load_check import differences, graph, load, op

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
PASSPORT = {"id": "pp-1", "schema": "Passport",
            "properties": {"number": ["AA123"], "country": ["th"], "holder": ["per-1"]}}
CALL = {"id": "c-1", "schema": "Call", "properties": {
    "callerNumber": ["+66811111111"], "receiverNumber": ["+66822222222"], "caller": ["per-1"], "date": ["2024-03-01"]}}


def without_call_numbers(differences: list[str]) -> list[str]:
    """``differences`` but the Phone nodes of a Call's old numbers, which its MOD or DEL leaves (not
    its line's statements: a Call's numbers are nodes every Call of them says, a-69 F4 for Calls)."""
    return [d for d in differences if not d.startswith("node phone:")]


async def test_a_name_only_mod_of_her_line_keeps_the_links_her_passport_and_call_lines_draw(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT), op("ADD", CALL)],
                             [op("MOD", ANNA, name=["Anna Leigh"])]) == []


async def test_a_mod_of_a_passports_number_leaves_only_the_new_number_its_document_and_link(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT)],
                             [op("MOD", PASSPORT, number=["BB456"])]) == []


async def test_a_mod_of_a_passports_holder_moves_its_number_and_link_to_the_new_holder(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", BEA), op("ADD", PASSPORT)],
                             [op("MOD", PASSPORT, holder=["per-2"])]) == []


async def test_twenty_mods_of_one_passport_line_leave_one_number_and_one_document(empty_store, tmp_path):
    await load(empty_store, tmp_path, "a.json", ANNA, PASSPORT)
    for i in range(20):
        await load(empty_store, tmp_path, f"m{i}.json", op("MOD", PASSPORT, number=[f"N{i:03d}"]))
    [snap] = await empty_store.read("admin/snapshot")
    docs = sorted(n["props"]["id"] for n in snap["nodes"] if "IdentityDocument" in n["labels"])
    [anna] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-1"]})
    assert (anna["props"]["passportNumber"], docs) == (["N019"], ["identity:TH|N019"])


async def test_a_mod_of_a_call_moving_its_caller_and_number_takes_the_old_callers_link(empty_store, tmp_path):
    got = await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", BEA), op("ADD", CALL)],
                            [op("MOD", CALL, caller=["per-2"], callerNumber=["+66833333333"])])
    assert without_call_numbers(got) == []


async def test_a_mod_of_a_call_dropping_its_caller_takes_the_link_only_its_line_drew(empty_store, tmp_path):
    bare = {**CALL, "properties": {k: v for k, v in CALL["properties"].items() if k != "caller"}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA, phone=["+66811111111"]), op("ADD", CALL)],
                             [op("MOD", bare)], [op("MOD", ANNA)]) == []


async def test_a_del_naming_another_holder_takes_what_the_stored_line_said_of_hers(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", BEA), op("ADD", PASSPORT)],
                             [op("DEL", PASSPORT, holder=["per-2"])]) == []


async def test_a_del_naming_another_number_takes_the_stored_number_and_link(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT)],
                             [op("DEL", PASSPORT, number=["ZZ9"])]) == []


async def test_a_del_of_a_call_naming_another_caller_takes_the_stored_callers_link(empty_store, tmp_path):
    got = await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", BEA), op("ADD", CALL)],
                            [op("DEL", CALL, caller=["per-2"])])
    assert without_call_numbers(got) == []


async def test_the_del_of_the_only_line_naming_a_holder_leaves_neither_her_nor_its_document(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", PASSPORT)], [op("DEL", PASSPORT)]) == []


async def test_a_passport_line_added_deleted_and_added_again_in_one_file_says_only_its_last_number(
        empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT), op("DEL", PASSPORT),
                                                     op("ADD", PASSPORT, number=["CC9"])]) == []


async def test_a_mod_of_a_passport_refused_for_its_holders_label_leaves_what_the_line_said(empty_store, tmp_path):
    company = {"id": "co-1", "schema": "Company", "properties": {"name": ["Anna Co"]}}
    await load(empty_store, tmp_path, "a.json", ANNA, company, PASSPORT)
    s = await load(empty_store, tmp_path, "m.json", op("MOD", PASSPORT, holder=["co-1"], number=["BB456"]))
    [anna] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-1"]})
    # a Passport's holder is a Person: the row is refused whole, and a refused row takes nothing
    assert (s.rows_rejected, anna["props"]["passportNumber"]) == (1, ["AA123"])


async def test_the_holder_only_a_deleted_passport_line_stated_is_a_bare_reference_the_calls_del_takes(
        empty_store, tmp_path):
    await load(empty_store, tmp_path, "a.json", PASSPORT, CALL)  # no line of her own
    await load(empty_store, tmp_path, "d.json", op("DEL", PASSPORT))
    [her] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-1"]})
    # a fresh load of the Call alone makes her its placeholder (of the label it guesses, Organization)
    assert (her["props"].get("unresolved"), her["props"].get("passportNumber")) == (True, None)
    await load(empty_store, tmp_path, "e.json", op("DEL", CALL))
    assert await empty_store.read("ingest/existing_nodes", {"ids": ["per-1"]}) == []


async def test_a_document_her_own_line_states_too_stays_after_the_passports_del_read_in_one_batch(
        empty_store, tmp_path):
    # the Passport's record of the document, buffered first, is its line's statement only
    assert await differences(empty_store, tmp_path, [op("ADD", PASSPORT), op("ADD", ANNA, passportNumber=["AA123"],
                                                                            nationality=["th"])],
                             [op("DEL", PASSPORT)]) == []


async def test_a_calls_del_by_its_id_alone_takes_the_uses_phone_its_line_drew(empty_store, tmp_path):
    got = await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", CALL)],
                            [{"op": "DEL", "entity": {"id": "c-1", "schema": "Call", "properties": {}}}])
    assert without_call_numbers(got) == []


def bare(entity: dict) -> dict:
    """``entity`` by its id and schema alone, as a delta feed's DEL names it."""
    return {"id": entity["id"], "schema": entity["schema"], "properties": {}}


async def test_a_passports_del_by_its_id_alone_takes_what_its_line_said(empty_store, tmp_path):
    # was refused "Passport without a holder", her number, link and document kept (attack round a-73, 1)
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT)],
                             [op("DEL", bare(PASSPORT))]) == []


async def test_a_passports_del_naming_only_its_holder_takes_what_its_line_said(empty_store, tmp_path):
    # was loaded doing nothing (a-73, 1)
    named = {**bare(PASSPORT), "properties": {"holder": ["per-1"]}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT)], [op("DEL", named)]) == []


async def test_an_identifications_del_by_its_id_alone_takes_what_its_line_said(empty_store, tmp_path):
    card = {**PASSPORT, "id": "id-1", "schema": "Identification"}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", card)], [op("DEL", bare(card))]) == []


async def test_a_passports_mod_dropping_its_number_takes_the_number_its_line_said(empty_store, tmp_path):
    # the MOD drew nothing, so its line's new version never started: the old number stayed (a-73, 2)
    numberless = {**bare(PASSPORT), "properties": {"holder": ["per-1"], "country": ["th"]}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT)],
                             [op("MOD", numberless)]) == []


async def test_a_mod_of_a_passport_line_as_a_person_takes_what_the_passport_said(empty_store, tmp_path):
    # the Person's records renew no line: her number, the document and its link stayed (a-73, F4)
    now_a_person = {"id": "pp-1", "schema": "Person", "properties": {"name": ["Now a person"]}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT)],
                             [op("MOD", now_a_person)]) == []


async def test_a_mod_of_a_call_line_as_a_passport_takes_the_calls_link_and_called(empty_store, tmp_path):
    # the Passport's records renew the line (its USES_PHONE went) but drew no CALLED: it stayed (a-73, F4)
    now_a_passport = {**PASSPORT, "id": "c-1"}
    got = await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", CALL)], [op("MOD", now_a_passport)])
    assert without_call_numbers(got) == []


async def test_a_second_add_of_a_stored_passport_line_adds_its_number_beside_the_first(empty_store, tmp_path):
    # ADD merges, a second ADD of a line too (fragments of one entity); a MOD replaces (a-73, F5, by decision)
    await load(empty_store, tmp_path, "a.json", ANNA, PASSPORT)
    await load(empty_store, tmp_path, "b.json", op("ADD", PASSPORT, number=["BB456"]))
    [anna] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-1"]})
    assert sorted(anna["props"]["passportNumber"]) == ["AA123", "BB456"]


async def test_a_line_modded_as_a_call_then_as_a_passport_in_one_file_keeps_no_called(empty_store, tmp_path):
    # the line's last version decides what it draws: the Call version's CALLED stayed (a-76, F1)
    as_a_call = {**CALL, "id": "pp-1"}
    got = await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT)],
                            [op("MOD", as_a_call), op("MOD", PASSPORT)])
    assert without_call_numbers(got) == []


async def test_a_new_line_modded_as_a_call_then_as_a_passport_in_one_file_draws_no_called(empty_store, tmp_path):
    got = await differences(empty_store, tmp_path, [op("ADD", ANNA)],
                            [op("MOD", {**CALL, "id": "pp-1"}), op("MOD", PASSPORT)])
    assert without_call_numbers(got) == []


async def test_a_mod_of_a_person_line_as_a_passport_takes_the_person_her_line_stated(empty_store, tmp_path):
    # her own statements carry no line, so the renewal found nothing of hers: she stayed (a-76, F2)
    now_a_passport = {**PASSPORT, "id": "per-2"}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", BEA)],
                             [op("MOD", now_a_passport)]) == []


async def test_a_mod_of_an_organization_line_as_a_membership_takes_the_organization(empty_store, tmp_path):
    club = {"id": "org-1", "schema": "Organization", "properties": {"name": ["Club"]}}
    other = {**club, "id": "org-2", "properties": {"name": ["Other"]}}
    now_a_membership = {"id": "org-2", "schema": "Membership", "properties": {"member": ["per-1"],
                                                                              "organization": ["org-1"]}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", club), op("ADD", other)],
                             [op("MOD", now_a_membership)]) == []


async def test_a_del_of_a_passport_line_naming_it_a_person_takes_what_the_passport_said(empty_store, tmp_path):
    # a DEL by the line's id takes what the line said, whatever schema it names (a-76, F4)
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", PASSPORT)],
                             [op("DEL", {"id": "pp-1", "schema": "Person", "properties": {}})]) == []


async def test_a_del_of_a_person_line_naming_it_a_passport_takes_the_person(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", BEA)],
                             [op("DEL", {"id": "per-2", "schema": "Passport", "properties": {}})]) == []


async def test_a_call_added_after_its_lines_mod_as_a_passport_in_one_file_keeps_its_called(empty_store, tmp_path):
    # the ADD adds to the MOD's version, a Call now: its CALLED was drawn and then taken (a-83, F5)
    await empty_store.clear()
    await load(empty_store, tmp_path, "a.json", ANNA, BEA)
    await load(empty_store, tmp_path, "b.json", op("MOD", {**PASSPORT, "id": "c-1"}), op("ADD", CALL))
    _, links = await graph(empty_store)
    assert ("CALLED", "phone:+66811111111", "phone:+66822222222") in links


async def test_passport_lines_named_like_the_sources_phone_and_sanction_leave_those_nodes(empty_store, tmp_path):
    # the line's own node was looked up by its id alone: the Phone and the Sanction (and their
    # USES_PHONE and SANCTIONED) went with a MOD or DEL of a line that never stated them (a-83, F4)
    phoned = {"id": "per-3", "schema": "Person", "properties": {"name": ["Cy"], "phone": ["+66899999999"]}}
    sanction = {"id": "s-1", "schema": "Sanction", "properties": {"entity": ["per-1"], "authority": ["UN"],
                                                                  "program": ["UN 1267"]}}
    hostile = {**PASSPORT, "id": "sanction:UN|UN 1267", "properties": {**PASSPORT["properties"], "holder": ["per-2"]}}
    assert await differences(empty_store, tmp_path, [op("ADD", x) for x in (ANNA, BEA, phoned, sanction)],
                             [op("MOD", hostile),
                              op("DEL", {"id": "phone:+66899999999", "schema": "Passport", "properties": {}})]) == []


async def test_a_person_line_modded_as_a_passport_takes_the_phone_and_document_her_values_made(empty_store, tmp_path):
    # her line's USES_PHONE / HOLDS_DOCUMENT went as line DELs before her node, so her node's DEL
    # found no link to the Phone and document her values made: they stayed, linked to nothing (a-83, F2)
    cy = {"id": "per-3", "schema": "Person", "properties": {"name": ["Cy"], "phone": ["+66899999999"],
                                                            "passportNumber": ["PX1"], "nationality": ["th"]}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", cy)],
                             [op("MOD", {**PASSPORT, "id": "per-3"})]) == []


async def test_a_mod_after_an_add_held_back_behind_a_del_in_one_batch_says_only_the_mods_number(
        empty_store, tmp_path):
    # the ADD waited behind the DEL, and its record took the renewal the MOD's row started: per-1 kept
    # both numbers where one load per line leaves the MOD's alone (a-83, F6)
    her = {"id": "pp-1", "schema": "Person", "properties": {"name": ["Xavier"], "phone": ["+66899999999"]}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", her)],
                             [{"op": "DEL", "entity": {"id": "pp-1", "schema": "Person", "properties": {}}},
                              op("ADD", PASSPORT, number=["N1"]), op("MOD", PASSPORT, number=["N2"])]) == []
