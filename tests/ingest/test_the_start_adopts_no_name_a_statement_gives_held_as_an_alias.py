"""The start's adoption (:mod:`graphapi.ingest.premodel_adoption`) adopts no value a statement
gives: a name a statement says is given as an alias too, whichever name the merge kept first.
Before, a store that ran since the statement model had its second names adopted at its first start
under every source of the node (attack round a-109, 4): a victim-blind load's guess of an own
victim's name, held as her alias, became a statement of the victim's own source, so the feed's DEL
of its guess left it on her for good; and two loads' disagreeing names did the same."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.premodel_adoption import repair_premodel_values
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from tests.ingest.test_a_guess_withdrawn_is_told_by_its_shadows import AGENCY, FEED, RIGHT, _delete, _person, _records
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import _victim

pytestmark = pytest.mark.backends


async def _feed(store, items) -> None:
    await run_load(store, items, source=FEED, viewer=AGENCY, victim_blind=True,
                   provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))


async def test_the_feeds_del_takes_its_guessed_name_off_the_victim_after_the_start(empty_store):
    await _victim(empty_store)  # her name Sok Sreymom; the feed's guess "Chan Dara" is held as her alias
    await _feed(empty_store, _records(lambda pid: [_person(pid)])(RIGHT))
    await repair_premodel_values(empty_store)
    await _feed(empty_store, _delete(RIGHT))
    rows = await empty_store.read("ingest/existing_nodes", {"ids": [RIGHT]})
    assert (rows[0]["props"]["name"], rows[0]["props"].get("alias")) == ("Sok Sreymom", None)


async def test_the_start_adopts_nothing_of_two_loads_disagreeing_names(empty_store):
    await write_records(empty_store, [NodeRecord("Person", "p1", {"name": "A"}, Origin("s1"))],
                        provenance=Provenance(seen="2026-01-02T00:00:00Z"))
    await write_records(empty_store, [NodeRecord("Person", "p1", {"name": "B"}, Origin("s2"))],
                        provenance=Provenance(seen="2026-01-01T00:00:00Z"))
    assert await repair_premodel_values(empty_store) == 0
