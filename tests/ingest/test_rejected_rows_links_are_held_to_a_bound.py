"""The link records of rejected rows (their echoes no wider, attack round 51, 1) are handed on in
bounded parts as the file is read: a file of nothing but rejected wide lines once held every one
until the load's end (attack round 52, 2: a 1 MB upload of rejected Membership lines of 32
members by 32 organizations held 2 million records, 2 GB). Each such line names no more links than
its bytes allow it to draw (33 of its 1,024 pairs for these lines of 541 bytes: attack round a-59, 4)."""

import json
from pathlib import Path

from graphapi.ingest import record_tap
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.record_tap import LinksRefused, Tap


def _rejected_wide_lines(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "wide.ftm.json"
    with path.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"m-{i}", "schema": "Membership", "properties": {
                "member": [f"p{j}" for j in range(32)], "organization": [f"o{j}" for j in range(32)],
                "startDate": ["not a date"]}}) + "\n")
    return path


#: Links one of these rejected lines names: one per 16 bytes of its 541
SAID = 33


def test_a_file_of_rejected_wide_lines_never_holds_more_than_the_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(record_tap, "REJECTED_LINKS_HELD", 250)
    rejected: list = []
    tap = Tap(FtmReader([_rejected_wide_lines(tmp_path, 30)], source="feed").records(), rejected.append, None)
    held, parts = [], []
    for item in tap:
        held.append(len(tap.rejected_links))
        parts.append(item)
    assert len(rejected) == 30
    assert all(isinstance(p, LinksRefused) for p in parts)
    assert len(parts) == 3 and max(held) < 250
    # none lost: what was handed on and what is left are every link the 30 lines named
    assert sum(len(p.links) for p in parts) + len(tap.take_links()) == 30 * SAID


def test_the_parts_name_each_link_once(tmp_path, monkeypatch):
    monkeypatch.setattr(record_tap, "REJECTED_LINKS_HELD", 40)
    tap = Tap(FtmReader([_rejected_wide_lines(tmp_path, 3)], source="feed").records(), lambda r: None, None)
    ids = [link.id for part in tap for link in part.links] + [link.id for link in tap.take_links()]
    assert len(ids) == len(set(ids)) == 3 * SAID
