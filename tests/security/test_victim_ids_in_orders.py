"""A victim's real id must not show through the ORDER of what a reader without ``victim-data``
sees: the reader sees the victim's ``vid:`` token, so where the answer places the victim may
depend on the token (or on nothing id-based) but never on the id behind it. Otherwise the
victim's position among visible ids (``per-aung-kyaw`` < victim < ``per-somchai``) narrows its
id, i.e. the name or phone number it was derived from, by bisection over visible ids."""

from graphapi.ingest.service import ingest_records
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal
from graphapi.security.hits import hourly_budget
from graphapi.security.victim_ids import victim_ids

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
SCHEMA = build_schema()
# The fixture's visible persons, none of whom has an OWNS relationship: each is a community alone.
VISIBLE = ["per-zhao-wei", "per-aung-kyaw", "per-somchai"]


async def _communities(store, ids):
    query = ("query ($ids: [String!]!) { syndicates(ids: $ids, depth: 1, relationshipTypes: [OWNS]) "
             "{ members { entity { lintasId } community } } }")
    result = await SCHEMA.execute(query, variable_values={"ids": ids},
                                  context_value=Context(store, TH, "r", lookup_budget=hourly_budget(0)))
    assert result.errors is None
    return {m["entity"]["lintasId"]: m["community"] for m in result.data["syndicates"]["members"]}


async def test_syndicates_number_a_victims_community_by_what_the_reader_sees(backend_store):
    token = victim_ids().opaque("per-nguyen-van-an")
    communities = await _communities(backend_store, [*VISIBLE, token])
    assert len(set(communities.values())) == 4  # four singletons
    # Numbered by the ids the reader sees (the token sorts after every "per-" id), not by the
    # clear id "per-nguyen-van-an", which sorts between per-aung-kyaw and per-somchai.
    shown = sorted([*VISIBLE, token])
    assert [communities[i] for i in shown] == [0, 1, 2, 3]


async def test_brokers_break_ties_by_the_ids_the_reader_sees(backend_store):
    query = ('{ brokers(groupA: ["per-somchai"], groupB: ["per-zhao-wei"], first: 20) '
             "{ brokers { entity { lintasId } score } } }")
    result = await SCHEMA.execute(query, context_value=Context(backend_store, TH, "r", lookup_budget=hourly_budget(0)))
    assert result.errors is None
    ranked = result.data["brokers"]["brokers"]
    tied = [b["entity"]["lintasId"] for b in ranked if b["score"] == ranked[0]["score"]]
    assert victim_ids().opaque("per-nguyen-van-an") in tied and len(tied) > 2
    assert tied == sorted(tied)  # the token sorts after every clear id of the fixture


# A hub tied alike (undated, no weight) to three persons and a victim, on an otherwise empty store.
HUB_VICTIM = "per-nguyen-van-an"
HUB_OTHERS = ["per-xuan", "per-yen", "per-zhu"]  # after the victim's id, before every vid: token


async def _hub_with_a_victim(store, dated=None):
    records = [{"kind": "node", "label": "Person", "id": i, "properties": {"name": i}}
               for i in ["per-hub", HUB_VICTIM, *HUB_OTHERS]]
    records += [{"kind": "node", "label": "Case", "properties": {"agency": "TH-DSI", "caseNumber": "C-1"}},
                {"type": "INVOLVED_IN", "from": HUB_VICTIM, "to": "case:TH-DSI|C-1", "properties": {"role": "victim"}}]
    records += [{"type": "ASSOCIATE_OF", "from": "per-hub", "to": i, "properties": {"from": dated} if dated else {}}
                for i in [HUB_VICTIM, *HUB_OTHERS]]
    result = await ingest_records(store, records, source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    assert not result.rejected, result.rejected


async def test_which_neighbours_a_truncated_expand_keeps_does_not_depend_on_a_victims_id(backend_empty_store):
    await _hub_with_a_victim(backend_empty_store)
    query = ('{ expand(ids: ["per-hub"], relationshipTypes: [ASSOCIATE_OF], limitPerNode: 2) '
             "{ nodes { lintasId } truncatedNodes { lintasId shown total } } }")
    result = await SCHEMA.execute(query, context_value=Context(backend_empty_store, TH, "r",
                                                               lookup_budget=hourly_budget(0)))
    assert result.errors is None, result.errors
    # Kept by the ids shown: the victim's token sorts after per-xuan and per-yen; by its stored
    # id "per-nguyen-van-an" it came first, and its being kept told that id sorts before per-xuan.
    assert [n["lintasId"] for n in result.data["expand"]["nodes"]] == ["per-hub", "per-xuan", "per-yen"]
    assert result.data["expand"]["truncatedNodes"] == [{"lintasId": "per-hub", "shown": 2, "total": 4}]


async def test_shared_identifiers_order_ties_and_their_ends_by_the_ids_the_reader_sees(backend_empty_store):
    await _hub_with_a_victim(backend_empty_store)
    phones = {"+66812345001": [HUB_VICTIM, "per-xuan"], "+66812345002": ["per-xuan", "per-zhu"]}
    records = [{"kind": "node", "label": "Phone", "properties": {"number": n}} for n in phones]
    records += [{"type": "USES_PHONE", "from": p, "to": f"phone:{n}"} for n, people in phones.items() for p in people]
    result = await ingest_records(backend_empty_store, records, source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    assert not result.rejected, result.rejected
    query = '{ sharedIdentifiers(ids: ["per-xuan"]) { ties { a { lintasId } b { lintasId } } } }'
    answer = await SCHEMA.execute(query, context_value=Context(backend_empty_store, TH, "r",
                                                               lookup_budget=hourly_budget(0)))
    assert answer.errors is None, answer.errors
    ties = [(t["a"]["lintasId"], t["b"]["lintasId"]) for t in answer.data["sharedIdentifiers"]["ties"]]
    # By the stored id the victim ("per-nguyen-van-an" < "per-xuan") was the first tie's `a`.
    assert ties == [("per-xuan", "per-zhu"), ("per-xuan", victim_ids().opaque(HUB_VICTIM))]


async def test_a_timeline_orders_events_of_one_time_by_the_relationship_ids_the_reader_sees(backend_empty_store):
    await _hub_with_a_victim(backend_empty_store, dated="2024-01")
    query = ('query ($after: String) { timeline(ids: ["per-hub"], first: 1, after: $after) '
             "{ edges { relationship { id } } pageInfo { hasNextPage endCursor } } }")
    shown, after = [], None
    for _ in range(5):  # four events, one a page
        answer = await SCHEMA.execute(query, variable_values={"after": after}, context_value=Context(
            backend_empty_store, TH, "r", lookup_budget=hourly_budget(0)))
        assert answer.errors is None, answer.errors
        page = answer.data["timeline"]
        shown += [e["relationship"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # All at "2024-01": by the ids shown the victim's relationship (its token) comes last; by its
    # stored id (associate_of:269b..., a hash of the victim's id) it came first.
    assert len(shown) == 4 and shown == sorted(shown) and shown[-1].startswith("vid:")
