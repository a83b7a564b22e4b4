"""``first_shown``: the first ids in the order of the ids shown (a victim's token), asking which
are protected of as few ids as decide it."""

from __future__ import annotations

import random
from typing import Any

import pytest

from graphapi.investigate.shown_order import ShownIds, first_shown
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

VICTIM_DATA = Principal("analyst-vd", roles=frozenset({"analyst", "victim-data"}))


class Protecting:
    """A store whose ``security/protected_ids`` answers from a fixed set, recording what it was asked."""

    def __init__(self, protected: set[str]) -> None:
        self.protected = protected
        self.asked: list[list[str]] = []

    async def read(self, name: str, params: dict[str, Any], **_: str) -> list[dict[str, Any]]:
        assert name == "security/protected_ids"
        self.asked.append(list(params["ids"]))
        return [{"id": i} for i in params["ids"] if i in self.protected]


def _full_order(ids: list[str], protected: set[str], count: int) -> list[str]:
    return sorted(ids, key=ShownIds(frozenset(protected)).node)[:count]


def _ids(n: int) -> list[str]:
    # people and phones below 'vid:', wallets above it (between tokens)
    return [f"{random.choice(['per', 'phone', 'wal', 'vid', 'vi', 'zz'])}-{i:05d}" for i in range(n)]


@pytest.mark.parametrize("share", [0.0, 0.05, 0.5, 1.0])
async def test_first_shown_is_the_head_of_the_order_by_ids_shown(share):
    rng = random.Random(7)
    random.seed(7)
    for _ in range(40):
        ids = _ids(rng.randint(1, 300))
        protected = {i for i in ids if rng.random() < share}
        count = rng.randint(0, 120)
        got, _ = await first_shown(Protecting(protected), DEMO_PRINCIPAL, ids, count)
        assert got == _full_order(ids, protected, count)


async def test_first_shown_asks_about_little_more_than_it_keeps():
    ids = [f"per-{i:05d}" for i in range(1200)]
    store = Protecting(set())
    got, _ = await first_shown(store, DEMO_PRINCIPAL, ids, 100)
    assert got == ids[:100]
    assert [len(a) for a in store.asked] == [113]


async def test_first_shown_asks_again_for_as_many_as_protected_ids_displaced():
    ids = [f"per-{i:05d}" for i in range(1200)]
    protected = set(ids[:40:2])
    store = Protecting(protected)
    got, _ = await first_shown(store, DEMO_PRINCIPAL, ids, 110)
    assert got == _full_order(ids, protected, 110)
    # 110 + 13 + 1 ids first, 20 of them protected; then 6 + 0 + 1 more
    assert [len(a) for a in store.asked] == [124, 7]


async def test_first_shown_asks_about_the_rest_at_once_after_two_rounds():
    ids = [f"per-{i:05d}" for i in range(1000)]
    protected = set(ids[:500])
    store = Protecting(protected)
    got, _ = await first_shown(store, DEMO_PRINCIPAL, ids, 10)
    assert got == _full_order(ids, protected, 10)
    assert len(store.asked) == 3 and sorted(sum(store.asked, [])) == ids


async def test_first_shown_asks_nothing_for_a_holder_of_victim_data():
    store = Protecting({"per-00001"})
    got, _ = await first_shown(store, VICTIM_DATA, [f"per-{i:05d}" for i in range(300, 0, -1)], 3)
    assert got == ["per-00001", "per-00002", "per-00003"]
    assert store.asked == []


async def test_first_shown_says_which_of_the_ids_it_asked_about_are_protected():
    ids = [f"per-{i:05d}" for i in range(300)]
    store = Protecting({"per-00002", "per-00250", "per-start"})
    got, protected = await first_shown(store, DEMO_PRINCIPAL, ids, 10, also=["per-start"])
    assert got == [i for i in ids if i != "per-00002"][:10]
    assert protected == {"per-00002", "per-start"}  # per-00250 was never asked about
    assert store.asked[0][0] == "per-start" and len(store.asked) == 1


async def test_first_shown_asks_about_also_when_there_is_nothing_to_order():
    store = Protecting({"per-start"})
    assert await first_shown(store, DEMO_PRINCIPAL, [], 10, also=["per-start"]) == ([], {"per-start"})
