"""The synthetic sample feeds: shipped as generated, and consistent with themselves."""

from __future__ import annotations

import csv
from pathlib import Path

from graphapi.ingest.synthetic import generate_feed

SAMPLES = Path(__file__).resolve().parents[2] / "seed" / "samples"


def test_shipped_samples_are_what_the_generator_makes(tmp_path: Path) -> None:
    for feed in ("cdr", "transfers", "crossings", "cases"):
        made = generate_feed(feed, 400, tmp_path / f"{feed}.csv", seed=20260301)
        assert made.read_bytes() == (SAMPLES / f"{feed}.synthetic.csv").read_bytes(), feed


def test_a_person_has_one_gender_name_and_birth_date_in_every_case_row() -> None:
    facts: dict[str, tuple[str, str, str]] = {}
    with (SAMPLES / "cases.synthetic.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            seen = facts.setdefault(row["person_id"], (row["gender"], row["full_name"], row["birth_date"]))
            assert seen == (row["gender"], row["full_name"], row["birth_date"]), row["person_id"]
    assert len(facts) == 40  # the people pool the 400 rows draw from
