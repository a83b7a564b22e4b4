"""The shipped mappings written with value maps read their samples into the same records as
before (the maps only add spellings), and read a partner's other spellings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord
from graphapi.ingest.synthetic import FEEDS

SAMPLES = Path(__file__).resolve().parents[2] / "seed" / "samples"


def _without_maps(doc):
    """``doc`` as it was before value maps: each spec's map and unknown dropped."""
    if isinstance(doc, dict):
        return {k: _without_maps(v) for k, v in doc.items() if k not in ("map", "unknown")}
    if isinstance(doc, list):
        return [_without_maps(v) for v in doc]
    return doc


@pytest.mark.parametrize("feed", FEEDS)
def test_shipped_mapping_reads_its_sample_into_the_records_it_read_without_maps(feed: str, tmp_path: Path) -> None:
    mapping = load_mapping(feed)
    plain = tmp_path / f"{feed}.yaml"
    text = yaml.safe_dump(_without_maps(mapping.doc), allow_unicode=True, sort_keys=False)
    plain.write_text(text, encoding="utf-8")
    sample = [SAMPLES / f"{feed}.synthetic.csv"]
    before = list(MappedCsvReader(load_mapping(plain), sample).records())
    assert list(MappedCsvReader(mapping, sample).records()) == before


def test_crossings_read_thai_direction_words_and_still_refuse_others(tmp_path: Path) -> None:
    lines = (SAMPLES / "crossings.synthetic.csv").read_text(encoding="utf-8").splitlines()[:4]
    lines[1] = lines[1].replace(",exit,", ",ขาออก,")
    lines[2] = lines[2].replace(",exit,", ",Arrival,")
    lines[3] = lines[3].replace(",exit,", ",sideways,")
    path = tmp_path / "x.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping("crossings"), [path]).records())
    crossings = [e for e in items if isinstance(e, EdgeRecord) and e.type == "CROSSED"]
    assert [e.properties["direction"] for e in crossings] == ["exit", "entry"]
    assert [r.reason for r in items if not hasattr(r, "origin")] == [
        "CROSSED.direction: invalid enum value 'sideways' in column 'direction'"]
