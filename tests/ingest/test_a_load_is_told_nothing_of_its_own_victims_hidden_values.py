"""A load by a loader without victim-data is told nothing of its own agency's victims' hidden
values (attack round 54, 2): a guessed victim's name made no conflict when right and one when
wrong, so the summary's ``conflicts`` (and ``nodes_updated``, and the source's statements when a
colleague with victim-data had loaded the name under the same source) confirmed the name that
GraphQL blanks for that loader. The stored value and its provenance are kept as before
(graphapi/ingest/blind_values.py)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.service import build_records, ingest_records
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
NAME = "Sok Sreymom"
AGENCY = "TH-DSI"
SOURCE = f"ftm@{AGENCY}"
#: the counts a load is told that merging into a stored item decides
TOLD = ("conflicts", "nodes_written", "nodes_updated", "nodes_unchanged", "nodes_seen", "statements_written",
        "statements_seen")


class _Records:
    def __init__(self, records, source):
        self._items, _ = build_records(records, source)
        self.stats = ReadStats(rows=len(records))

    def records(self):
        yield from self._items


async def _victim(store):
    records = [
        {"kind": "node", "label": "Person", "id": "per-vic-1", "properties": {"name": NAME, "gender": "female"}},
        {"kind": "node", "label": "Case", "properties": {"agency": AGENCY, "caseNumber": "V-9"}},
        {"type": "INVOLVED_IN", "from": "per-vic-1", "to": f"case:{AGENCY}|V-9", "properties": {"role": "victim"}},
    ]
    assert not (await ingest_records(store, records, source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")).rejected


async def _load(store, *records, victim_data=False, seen="2026-05-01T00:00:00Z"):
    """A load job's load of ``records`` by a TH-DSI loader (without victim-data unless said)."""
    summary = await run_load(store, _Records(list(records), SOURCE), source=SOURCE, viewer=AGENCY,
                             victim_blind=not victim_data, provenance=Provenance(AGENCY, "GREEN", (), seen))
    return summary


def _named(name):
    return {"kind": "node", "label": "Person", "id": "per-vic-1", "properties": {"name": name}}


def _told(summary):
    return {k: getattr(summary, k) for k in TOLD}


async def test_a_right_and_a_wrong_guess_of_an_own_victims_name_are_told_alike(empty_store):
    await _victim(empty_store)
    await _load(empty_store, _named("Somebody Else"))  # the loader's source is on the node already
    wrong = await _load(empty_store, _named("Chan Dara"))
    right = await _load(empty_store, _named(NAME))
    assert _told(wrong) == _told(right)
    assert (wrong.conflicts, wrong.nodes_updated, wrong.conflicted) == (0, 0, [])


async def test_a_guess_of_what_a_colleague_loaded_under_the_same_source_is_not_confirmed(empty_store):
    await _victim(empty_store)
    await _load(empty_store, _named(NAME), victim_data=True)  # an officer's load of the same feed
    await _load(empty_store, _named("Somebody Else"))  # the first blind load of it: told created (blindSaid)
    wrong = await _load(empty_store, _named("Chan Dara"))
    right = await _load(empty_store, _named(NAME))
    assert _told(wrong) == _told(right)


async def test_a_file_of_guesses_names_no_conflict(empty_store):
    await _victim(empty_store)
    summary = await _load(empty_store, *[_named(n) for n in ("Chan Dara", NAME, "Keo Vanna")])
    assert (summary.conflicts, summary.conflicted) == (0, [])


async def test_the_victims_name_and_the_guesses_are_kept_as_before(empty_store):
    await _victim(empty_store)
    await _load(empty_store, _named("Chan Dara"))
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-vic-1"]})
    props = row["props"]
    assert props["name"] == NAME
    assert "Chan Dara" in props["alias"]
    assert any('"Chan Dara"' in c and SOURCE in c for c in props["conflicts"])
    assert SOURCE in props["sources"]


async def test_an_officer_with_victim_data_is_still_told_the_conflict(empty_store):
    await _victim(empty_store)
    summary = await _load(empty_store, _named("Chan Dara"), victim_data=True)
    assert summary.conflicts == 1
    assert [(c.item, c.property, c.value) for c in summary.conflicted] == [("per-vic-1", "name", "Chan Dara")]



async def test_a_field_the_loader_may_read_is_told_against_what_its_loads_said_not_the_victims(empty_store):
    # the victim's gender is female: told a conflict, the loader would learn it is the victim's
    # item (a wrong guess's own item holds no gender: updated, no conflict; attack round a-67, 1)
    await _victim(empty_store)
    await _load(empty_store, _named(NAME))  # its source said the victim (else told as if absent)
    summary = await _load(empty_store, {**_named(NAME), "properties": {"name": NAME, "gender": "male"}})
    assert (summary.conflicts, summary.conflicted, summary.nodes_updated) == (0, [], 1)


async def test_a_conflict_on_a_field_the_loader_may_read_is_told_against_what_its_loads_said(empty_store):
    await _victim(empty_store)
    await _load(empty_store, {**_named(NAME), "properties": {"name": NAME, "gender": "male"}})
    summary = await _load(empty_store, {**_named(NAME), "properties": {"name": NAME, "gender": "female"}})
    assert [(c.item, c.property, c.value) for c in summary.conflicted] == [("per-vic-1", "gender", "female")]
    assert (summary.conflicts, summary.nodes_updated) == (1, 1)
