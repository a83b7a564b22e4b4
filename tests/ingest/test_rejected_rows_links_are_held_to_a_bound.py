"""The link records of rejected rows (their echoes no wider, attack round 51, 1) are handed on in
bounded parts as the file is read: a file of nothing but rejected wide lines once held every one
until the load's end (attack round 52, 2: a 1 MB upload of rejected Membership lines of 32
members by 32 organizations held 2 million records, 2 GB)."""

import json
from pathlib import Path

from graphapi.ingest import record_tap
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.ftm_links import MAX_SAID_LINKS
from graphapi.ingest.record_tap import LinksRefused, Tap


def _rejected_wide_lines(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "wide.ftm.json"
    with path.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"m-{i}", "schema": "Membership", "properties": {
                "member": [f"p{j}" for j in range(32)], "organization": [f"o{j}" for j in range(32)],
                "startDate": ["not a date"]}}) + "\n")
    return path


def test_a_file_of_rejected_wide_lines_never_holds_more_than_the_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(record_tap, "REJECTED_LINKS_HELD", 2_500)
    rejected: list = []
    tap = Tap(FtmReader([_rejected_wide_lines(tmp_path, 30)], source="feed").records(), rejected.append, None)
    held, parts = [], []
    for item in tap:
        held.append(len(tap.rejected_links))
        parts.append(item)
    assert len(rejected) == 30
    assert all(isinstance(p, LinksRefused) for p in parts)
    assert max(held) < 2_500
    # none lost: what was handed on and what is left are every link the 30 lines named
    # (a rejected line names at most MAX_SAID_LINKS)
    assert sum(len(p.links) for p in parts) + len(tap.take_links()) == 30 * MAX_SAID_LINKS  # of 32 x 32 pairs a line


def test_the_parts_name_each_link_once(tmp_path, monkeypatch):
    monkeypatch.setattr(record_tap, "REJECTED_LINKS_HELD", 1_000)
    tap = Tap(FtmReader([_rejected_wide_lines(tmp_path, 3)], source="feed").records(), lambda r: None, None)
    ids = [link.id for part in tap for link in part.links] + [link.id for link in tap.take_links()]
    assert len(ids) == len(set(ids)) == 3 * MAX_SAID_LINKS
