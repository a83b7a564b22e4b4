"""A victim-blind load's guess of its own victim's item, said again, is told as a wrong guess
said again would be (attack round a-65, 1, 2 and 6; graphapi/ingest/blind_values.py): with
another name (the hidden fields of an item its source was told of tell it nothing, whether the
item is the victim's or the load's own new one), under another FtM dataset (the datasets of a
source are that source), and what blind loads were told (``blindSaid``) keeps no dataset: one
entry per source at most, which a replace no longer stating a guess takes out (older loads'
dataset entries too)."""

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.service import ingest_records
from graphapi.ingest.writer import Provenance
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import _told
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, SOURCE, _load, _victim

pytestmark = pytest.mark.backends
#: per-vic-1 is the victim's person (_victim); per-vic-9 a wrong guess, the load's own new person
RIGHT, WRONG = "per-vic-1", "per-vic-9"


def _person(pid, name):
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": name}}


async def _ftm(store, tmp_path, name, *lines):
    path = tmp_path / name
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return await run_load(store, FtmReader([path], source=SOURCE), source=SOURCE, viewer=AGENCY, victim_blind=True,
                          provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))


def _ftm_person(pid, name, *datasets):
    return {"id": pid, "schema": "Person", "datasets": list(datasets), "properties": {"name": [name]}}


async def test_a_guess_said_again_with_another_name_is_told_as_a_wrong_one(empty_store):
    await _victim(empty_store)
    told = {}
    for pid in (WRONG, RIGHT):
        await _load(empty_store, _person(pid, "Chan Dara"))
        again = await _load(empty_store, _person(pid, "Keo Vanna"))
        told[pid] = {**_told(again), "notes": len(again.conflicted)}
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT]["nodes_updated"], told[RIGHT]["nodes_unchanged"], told[RIGHT]["conflicts"]) == (0, 1, 0)


async def test_an_ftm_guess_modified_after_its_add_is_told_as_a_wrong_one(empty_store, tmp_path):
    await _victim(empty_store)
    told = {}
    for pid in (WRONG, RIGHT):
        await _ftm(empty_store, tmp_path, f"{pid}-add.json",
                   {"op": "ADD", "entity": _ftm_person(pid, "Chan Dara", "ds1")})
        mod = await _ftm(empty_store, tmp_path, f"{pid}-mod.json",
                         {"op": "MOD", "entity": _ftm_person(pid, "Keo Vanna", "ds1")})
        told[pid] = _told(mod)
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT]["nodes_updated"], told[RIGHT]["nodes_unchanged"]) == (0, 1)


async def test_an_ftm_guess_said_again_under_another_dataset_is_told_as_a_wrong_one(empty_store, tmp_path):
    await _victim(empty_store)
    told = {}
    for pid in (WRONG, RIGHT):
        await _ftm(empty_store, tmp_path, f"{pid}-1.json", _ftm_person(pid, "Chan Dara", "ds1"))
        told[pid] = _told(await _ftm(empty_store, tmp_path, f"{pid}-2.json", _ftm_person(pid, "Chan Dara", "ds2")))
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT]["nodes_created"], told[RIGHT]["nodes_updated"]) == (0, 1)  # its new dataset source


async def _blind_said(store, nid):
    [row] = await store.read("ingest/existing_nodes", {"ids": [nid]})
    return row["props"].get("blindSaid")


async def test_what_blind_loads_were_told_keeps_their_agency_not_its_sources_datasets(empty_store, tmp_path):
    await _victim(empty_store)
    await _ftm(empty_store, tmp_path, "a.json", _ftm_person(RIGHT, "Chan Dara", *[f"ds{i}" for i in range(20)]))
    assert await _blind_said(empty_store, RIGHT) == [AGENCY]


async def test_what_blind_loads_were_told_stays_one_entry_per_agency_over_replaces(empty_store, tmp_path):
    held = _person("per-z", "Z")  # another source keeps per-z stored after each replace
    assert not (await ingest_records(empty_store, [held], source=f"graphql:{AGENCY}", owner=AGENCY,
                                     tlp="GREEN")).rejected
    (tmp_path / "b.json").write_text(json.dumps(_ftm_person("per-other", "Keo Vanna")) + "\n")
    for round_ in range(3):
        await _ftm(empty_store, tmp_path, f"a{round_}.json", _ftm_person("per-z", "Z", *[f"r{round_}-{i}"
                                                                                        for i in range(20)]))
        await run_load(empty_store, FtmReader([tmp_path / "b.json"], source=SOURCE), source=SOURCE, viewer=AGENCY,
                       victim_blind=True, replace=True,
                       provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))
    # told of per-z as what it is, and told it retracted (it stays): a mark kept, the next load of
    # it told as a reload should per-z be a victim's by then (a-65, 5c)
    assert await _blind_said(empty_store, "per-z") == [AGENCY]


async def test_a_replace_takes_out_the_dataset_entries_older_loads_marked(empty_store, tmp_path):
    await _victim(empty_store)
    await empty_store.write("ingest/add_blind_said", {"rows": [{"id": RIGHT, "sources": [SOURCE, f"{SOURCE}:ds1"],
                                                                  "known": False}]})
    (tmp_path / "b.json").write_text(json.dumps(_ftm_person("per-other", "Keo Vanna")) + "\n")
    await run_load(empty_store, FtmReader([tmp_path / "b.json"], source=SOURCE), source=SOURCE, viewer=AGENCY,
                   victim_blind=True, replace=True, provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))
    assert await _blind_said(empty_store, RIGHT) is None
