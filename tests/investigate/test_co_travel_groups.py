"""Co-travel groups on the planted crossings, found without a seed person: the four who crossed
checkpoint bcp-pl-1 together on two days, and nobody else."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")
DAY1, DAY2 = "2025-02-09", "2025-02-24"  # planted T0 + 30 and + 45 days


def _members(group) -> list[str]:
    # sorted here: members come in the order of the ids the reader is shown (T2, a victim, by its
    # token: test_co_travel_groups_field_redacts_the_victim_member_and_is_audited checks that order)
    return sorted(m.id for m in group.members)


async def test_co_travel_groups_are_the_four_who_crossed_together_on_both_days(planted_store):
    store, p = planted_store
    found = await co_travel_groups(store, DEMO_PRINCIPAL)
    assert [_members(g) for g in found.groups] == [sorted(p.people[t] for t in ("T1", "T2", "T3", "T4"))]
    (group,) = found.groups
    assert [(o.checkpoint.id, o.direction) for o in group.occasions] == [("bcp-pl-1", "exit")] * 2
    assert [[c.id for c in o.crossings] for o in group.occasions] == [
        [p.crossings[k] for k in ("T4-1", "T1-1", "T2-1", "T3-1")],
        [p.crossings[k] for k in ("T2-2", "T1-2", "T4-2", "T3-2")]]
    assert (group.occasions[0].first, group.occasions[0].last) == ("2025-02-09T00:30:00", "2025-02-09T03:00:00")
    assert (found.crowds, found.truncated) == (0, False)


async def test_co_travel_group_members_must_cross_within_the_window_of_each_other(planted_store):
    store, p = planted_store
    # One hour: on day one T4 crossed 1.5 h before T1, on day two T3 1.5 h after T4.
    found = await co_travel_groups(store, DEMO_PRINCIPAL, window=1)
    assert [_members(g) for g in found.groups] == [sorted([p.people["T1"], p.people["T2"]])]


async def test_co_travel_groups_count_only_crossings_between_since_and_until(planted_store):
    store, p = planted_store
    assert (await co_travel_groups(store, DEMO_PRINCIPAL, since=DAY2)).groups == []
    once = await co_travel_groups(store, DEMO_PRINCIPAL, until=DAY1, checkpoints=["bcp-pl-1"], min_occurrences=1)
    # Day one only: T-late crossed two hours after T3, within the window of the one before him.
    assert [(_members(g), len(g.occasions)) for g in once.groups] == [
        (sorted(p.people[t] for t in ("T1", "T2", "T3", "T4", "T-late")), 1)]


async def test_co_travel_groups_never_hold_hidden_crossings(planted_store):
    store, p = planted_store
    owner = await co_travel_groups(store, TH_DSI)
    assert [_members(g) for g in owner.groups] == [sorted(p.people[t] for t in ("T1", "T2", "T3", "T4", "T-hidden"))]
    demo = await co_travel_groups(store, DEMO_PRINCIPAL)
    assert p.people["T-hidden"] not in _members(demo.groups[0])


async def test_co_travel_groups_limit_keeps_the_first_ranked_and_says_truncated(planted_store):
    store, p = planted_store
    everyone = await co_travel_groups(store, DEMO_PRINCIPAL, checkpoints=["bcp-pl-1"], min_occurrences=1)
    assert [(len(g.members), len(g.occasions)) for g in everyone.groups] == [(4, 2), (5, 1)]
    cut = await co_travel_groups(store, DEMO_PRINCIPAL, checkpoints=["bcp-pl-1"], min_occurrences=1, limit=1)
    assert [(len(g.members), len(g.occasions)) for g in cut.groups] == [(4, 2)] and cut.truncated is True


@pytest.mark.parametrize(("args", "message"), [
    ({"window": 0}, "window"), ({"min_size": 1}, "minSize"), ({"min_occurrences": 0}, "minOccurrences"),
    ({"limit": 101}, "limit"), ({"since": "yesterday"}, "since"), ({"checkpoints": []}, "checkpoints"),
])
async def test_co_travel_groups_refuse_bad_arguments_before_reading_the_store(args, message):
    with pytest.raises(InvalidArgument, match=message):
        await co_travel_groups(None, DEMO_PRINCIPAL, **args)


GROUPS = """{ coTravelGroups(checkpoints: ["bcp-pl-1"]) {
  groups { count members { lintasId caption }
    occasions { checkpoint { lintasId } direction first last
      crossings { id ... on CrossedRelationship { document } } } }
  crowds truncated } }"""


async def test_co_travel_groups_field_redacts_the_victim_member_and_is_audited(planted_store, tmp_path):
    from test_analytics_graphql import _run  # the analytics GraphQL harness (audit log, redaction)

    store, p = planted_store
    result, entries = await _run(store, tmp_path, GROUPS)
    assert result.errors is None, result.errors
    (group,) = result.data["coTravelGroups"]["groups"]
    ids = [m["lintasId"] for m in group["members"]]
    token = next(i for i in ids if i.startswith("vid:"))  # T2, a trafficking victim, as an opaque token
    assert sorted(set(ids) - {token}) == sorted(p.people[t] for t in ("T1", "T3", "T4"))
    assert ids == sorted(ids)  # members in the order of the ids shown: the token, not T2's id, places T2
    assert group["count"] == 2 and [o["direction"] for o in group["occasions"]] == ["exit", "exit"]
    documents = {c["document"] for o in group["occasions"] for c in o["crossings"]}
    assert documents == {None, "PLT11", "PLT12", "PLT31", "PLT32", "PLT41", "PLT42"}  # T2's blanked
    assert entries[0]["arguments"]["fields"] == ["coTravelGroups"] and entries[0]["outcome"] == "ok"


async def test_co_travel_groups_field_bad_window_is_a_graphql_error(planted_store, tmp_path):
    from test_analytics_graphql import _run

    store, _ = planted_store
    result, entries = await _run(store, tmp_path, "{ coTravelGroups(window: 0) { truncated } }")
    assert list(result.data.values()) == [None] and result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert entries[0]["outcome"] == "error:BAD_USER_INPUT"


async def test_co_travel_groups_stop_at_the_work_budget_and_say_truncated(planted_store, monkeypatch):
    from graphapi.investigate import cotravel_groups

    store, _ = planted_store
    monkeypatch.setattr(cotravel_groups, "MAX_WORK", 5)  # one occasion of five grouped, then the budget is spent
    found = await co_travel_groups(store, DEMO_PRINCIPAL, checkpoints=["bcp-pl-1"], min_occurrences=1)
    assert [(len(g.members), len(g.occasions)) for g in found.groups] == [(5, 1)] and found.truncated is True


async def test_co_travel_groups_work_grows_with_the_size_of_the_groups_met(monkeypatch):
    # fifty occasions of the same 95 people: few intersections, but each walks 95 members
    from graphapi.investigate import cotravel_groups

    monkeypatch.setattr(cotravel_groups, "MAX_WORK", 1_000)
    crowd = frozenset(f"p{i}" for i in range(95))
    closed, stopped = cotravel_groups._closed_groups([crowd] * 50, 2)
    assert stopped is True and closed == [crowd]


class _Recording:
    """The store, noting the name of every statement read."""

    def __init__(self, store) -> None:
        self.store, self.read_names = store, []

    async def read(self, name, params, **kwargs):
        self.read_names.append(name)
        return await self.store.read(name, params, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


async def test_co_travel_groups_read_the_crossings_once_and_never_look_each_one_up_again(planted_store):
    # attack round 3, G6: every crossing of the groups was looked up again by id, a statement that
    # walks each traveller's every relationship: 30 s (timed out: INTERNAL) at a busy checkpoint
    store, p = planted_store
    recording = _Recording(store)
    found = await co_travel_groups(recording, DEMO_PRINCIPAL)
    assert [n for n in recording.read_names if n.startswith("analytics/")] == ["analytics/crossings_between"]
    (group,) = found.groups
    crossing = group.occasions[0].crossings[0]
    assert (crossing.id, crossing.type, crossing.properties["direction"]) == (p.crossings["T4-1"], "CROSSED", "exit")


async def test_co_travel_groups_end_where_their_crossings_would_pass_the_answers_bound(planted_store, monkeypatch):
    # attack round 3, G6: 100 groups of a busy checkpoint listed ~10^5 crossings (125 s of a worker)
    store, _ = planted_store
    monkeypatch.setattr("graphapi.investigate.cotravel_groups.MAX_SHOWN_CROSSINGS", 7)  # the group has 8
    found = await co_travel_groups(store, DEMO_PRINCIPAL)
    assert (found.groups, found.truncated) == ([], True)
