"""A load without victim-data is told a reload of a guessed id by what its agency's blind loads
said of it, as a wrong guess's own item would tell it, not by the victim's stored values (attack
round a-67, 1, 2 and 6; graphapi/ingest/blind_shadow.py): a field the loader may read said later
(the victim's gender, or another), a case link's role said later, a record of another label on
the victim's id said again changed, and a guess in the same second as a colleague's record."""

import pytest

from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import TOLD, _document
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _load, _victim
from tests.ingest.test_every_source_of_an_agency_is_one_for_the_blind_rule import _load_as

pytestmark = pytest.mark.backends
RIGHT, WRONG = "per-vic-1", "per-vic-9"  # the victim (gender female, victim in case V-9), and nobody


def _told(summary):
    return {**{k: getattr(summary, k) for k in TOLD}, "conflicted": [(c.property, c.value) for c in summary.conflicted]}


def _person(pid, **props):
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": "Chan Dara", **props}}


def _involved(pid, **props):
    return {"type": "INVOLVED_IN", "from": pid, "to": f"case:{AGENCY}|V-9", "properties": props}


async def _guess_then_again(store, first, again):
    """What a wrong and a right guess's second load are told: ``first(id)`` then ``again(id)``."""
    await _victim(store)
    told = {}
    for pid in (WRONG, RIGHT):
        await _load(store, *first(pid))
        told[pid] = _told(await _load(store, *again(pid)))
    return told


@pytest.mark.parametrize("gender", ["female", "male"])  # the victim's, and another
async def test_a_field_the_loader_may_read_said_later_is_told_alike(empty_store, gender):
    told = await _guess_then_again(empty_store, lambda p: [_person(p)], lambda p: [_person(p, gender=gender)])
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT]["nodes_updated"], told[RIGHT]["conflicts"]) == (1, 0)


@pytest.mark.parametrize("role", ["victim", "witness"])  # the victim's role in the case, and another
async def test_a_case_links_role_said_later_is_told_alike(empty_store, role):
    told = await _guess_then_again(empty_store, lambda p: [_person(p), _involved(p)],
                                   lambda p: [_person(p), _involved(p, role=role)])
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT]["relationships_updated"], told[RIGHT]["conflicts"]) == (1, 0)


def _organization(pid, **props):
    return {"kind": "node", "label": "Organization", "id": pid, "properties": {"name": "Some Co", **props}}


@pytest.mark.parametrize("again", [{"name": "Other Co"}, {"country": ["KH"]}])
async def test_a_record_of_another_label_on_the_victims_id_said_again_changed_is_told_alike(empty_store, again):
    told = await _guess_then_again(empty_store, lambda p: [_organization(p)], lambda p: [_organization(p, **again)])
    assert told[RIGHT] == told[WRONG]
    assert told[RIGHT]["nodes_updated"] == 1
    assert told[RIGHT]["conflicted"] == ([("name", "Other Co")] if "name" in again else [])


async def test_a_guess_in_the_same_second_as_a_colleagues_record_under_the_shared_source_is_told_created(
        empty_store):
    # a colleague with victim-data entered the victim's passport through the ingest mutation
    # (graphql:<agency>, every caller's source) at second T; a blind guess of it through the same
    # mutation in that second writes nothing new: told created all the same, as a wrong one
    await _victim(empty_store)
    source, second = f"graphql:{AGENCY}", "2026-12-06T10:00:00Z"
    await _load_as(empty_store, source, _document("AA1234567"), blind=False, seen=second)
    told = {n: _told(await _load_as(empty_store, source, _document(n)[:1], seen=second))
            for n in ("BB7654321", "AA1234567")}
    assert told["AA1234567"] == told["BB7654321"]
    assert told["AA1234567"]["nodes_created"] == 1
