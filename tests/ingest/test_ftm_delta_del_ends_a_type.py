"""A DEL ends the type an FtM id's earlier lines of one read gave it (attack round 31b): the id may
come back as another schema in the same read, and loads as if the DEL had been in an earlier read."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord, Rejection

IBAN = "DE89370400440532013000"
ACCOUNT = {"id": "x-1", "schema": "BankAccount", "properties": {"iban": [IBAN]}}
PERSON = {"id": "x-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}


def _file(tmp_path: Path, name: str, *lines: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    return path


def _read(*paths: Path) -> tuple[list[str], list[tuple[str, str, str]]]:
    items = list(FtmReader(list(paths)).records())
    return ([r.reason for r in items if isinstance(r, Rejection)],
            [(n.label, n.id, n.op) for n in items if isinstance(n, NodeRecord)])


def test_an_account_added_deleted_then_added_as_a_person_loads_the_person_under_its_ftm_id(tmp_path):
    rejected, nodes = _read(_file(tmp_path, "d.delta.json", {"op": "ADD", "entity": ACCOUNT},
                                  {"op": "DEL", "entity": ACCOUNT}, {"op": "ADD", "entity": PERSON}))
    assert rejected == []
    assert nodes == [("BankAccount", f"account:{IBAN}", "merge"), ("BankAccount", f"account:{IBAN}", "delete"),
                     ("Person", "x-1", "merge")]


def test_a_person_added_deleted_then_added_as_an_account_loads_the_account_under_its_key(tmp_path):
    rejected, nodes = _read(_file(tmp_path, "d.delta.json", {"op": "ADD", "entity": PERSON},
                                  {"op": "DEL", "entity": PERSON}, {"op": "ADD", "entity": ACCOUNT}))
    assert rejected == []
    assert nodes == [("Person", "x-1", "merge"), ("Person", "x-1", "delete"),
                     ("BankAccount", f"account:{IBAN}", "merge")]


def test_a_del_in_one_file_ends_the_type_for_the_next_file_of_the_read(tmp_path):
    rejected, nodes = _read(_file(tmp_path, "a.delta.json", {"op": "ADD", "entity": ACCOUNT}),
                            _file(tmp_path, "b.delta.json", {"op": "DEL", "entity": ACCOUNT}),
                            _file(tmp_path, "c.delta.json", {"op": "ADD", "entity": PERSON}))
    assert rejected == []
    assert nodes[-1] == ("Person", "x-1", "merge")


def test_without_a_del_an_account_and_a_person_of_one_id_still_cannot_merge(tmp_path):
    rejected, nodes = _read(_file(tmp_path, "d.delta.json", {"op": "ADD", "entity": ACCOUNT},
                                  {"op": "ADD", "entity": PERSON}))
    assert len(rejected) == 1 and "schemata that cannot merge" in rejected[0]
