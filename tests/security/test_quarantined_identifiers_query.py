"""``quarantinedIdentifiers`` lists the identifiers quarantined for the reader that it may see: the
public flag, or its own agency's mark, never another's; a victim's only with victim-data (u-user52,
2: no query listed them; graphapi/investigate/quarantined.py)."""

import pytest

from graphapi.ingest.service import ingest_records
from graphapi.security import Principal
from tests.ingest.phone_holders import PHONE, load_holders
from tests.investigate.graphql_answers import answer

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
TH = Principal("ana-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_VICTIMS = Principal("sup-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
KH = Principal("ana-kh", agency="KH-NP", roles=frozenset({"analyst"}))
LISTED = "{ quarantinedIdentifiers(first: 10) { totalCount edges { node { lintasId } } pageInfo { hasNextPage } } }"
OTHER = "phone:+66822222222"


def _ids(data):
    got = data["quarantinedIdentifiers"]
    return [e["node"]["lintasId"] for e in got["edges"]], got["totalCount"]


async def _flag(store, phone: str, records=()) -> None:
    number = phone.split(":", 1)[1]
    done = await ingest_records(store, [{"kind": "node", "label": "Phone", "properties": {"number": number}}, *records],
                                source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    assert not done.rejected
    await store.write("ingest/settle_quarantine", {"id": phone, "flag": True, "lift": [], "add": []})


async def _flagged_across_loads(store) -> None:
    """Six GREEN holders in two loads: past the limit for everyone, the public flag."""
    await load_holders(store, [f"per-th-{i}" for i in range(3)], "th", "TH-DSI", "GREEN")
    flagged = await load_holders(store, [f"per-th-{i}" for i in range(3, 6)], "th2", "TH-DSI", "GREEN")
    assert flagged.quarantined == 1


async def test_an_identifier_flagged_for_everyone_is_listed_to_every_agency(empty_store):
    await _flagged_across_loads(empty_store)
    assert [_ids(await answer(empty_store, p, LISTED)) for p in (TH, KH)] == [([PHONE], 1)] * 2


async def test_an_agencys_own_mark_is_listed_to_it_alone(empty_store):
    marked = await load_holders(empty_store, [f"per-th-{i}" for i in range(6)], "th", "TH-DSI", "GREEN")
    assert marked.quarantined == 1  # the guard's, within one load: marked for TH-DSI, the GREEN phone seen by all
    assert [_ids(await answer(empty_store, p, LISTED)) for p in (TH, KH)] == [([PHONE], 1), ([], 0)]


async def test_the_list_pages_by_id_with_cursors_of_its_own(empty_store):
    await _flagged_across_loads(empty_store)
    await _flag(empty_store, OTHER)
    first = (await answer(empty_store, TH, "{ quarantinedIdentifiers(first: 1) { totalCount "
                                           "edges { cursor node { lintasId } } pageInfo { hasNextPage } } }"))
    page = first["quarantinedIdentifiers"]
    assert ([e["node"]["lintasId"] for e in page["edges"]], page["totalCount"], page["pageInfo"]["hasNextPage"]) == (
        [PHONE], 2, True)
    after = page["edges"][0]["cursor"]
    second = await answer(empty_store, TH, f'{{ quarantinedIdentifiers(first: 1, after: "{after}") '
                                           "{ edges { node { lintasId } } pageInfo { hasNextPage hasPreviousPage } } }")
    assert second["quarantinedIdentifiers"] == {"edges": [{"node": {"lintasId": OTHER}}],
                                                "pageInfo": {"hasNextPage": False, "hasPreviousPage": True}}


async def test_a_victims_phone_is_listed_only_to_a_reader_with_victim_data(empty_store):
    victim = [{"kind": "node", "label": "Person", "id": "per-vic-1", "properties": {"name": "Sok Sreymom"}},
              {"kind": "node", "label": "Case", "properties": {"agency": "TH-DSI", "caseNumber": "V-9"}},
              {"type": "INVOLVED_IN", "from": "per-vic-1", "to": "case:TH-DSI|V-9", "properties": {"role": "victim"}},
              {"type": "USES_PHONE", "from": "per-vic-1", "to": OTHER, "properties": {}}]
    await _flag(empty_store, OTHER, victim)
    assert [_ids(await answer(empty_store, p, LISTED)) for p in (TH_VICTIMS, TH)] == [([OTHER], 1), ([], 0)]
