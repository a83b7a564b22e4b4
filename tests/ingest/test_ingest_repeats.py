"""Event feeds name the same endpoint on many rows: word-for-word repeats stop at the pipeline."""

from graphapi.ingest.record_tap import Tap
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection

PHONE = {"number": "+66812345678", "country": "TH"}


def _phone(line: int, props: dict | None = None, source: str = "cdr") -> NodeRecord:
    return NodeRecord("Phone", "phone:+66812345678", dict(props or PHONE), Origin(source, "cdr.csv", line))


def _call(line: int) -> EdgeRecord:
    return EdgeRecord("CALLED", f"called:{line}", "phone:+66812345678", "phone:+66812345678", {},
                      Origin("cdr", "cdr.csv", line))


def test_a_node_repeated_word_for_word_passes_once_and_every_edge_passes():
    tap = Tap([_phone(2), _call(2), _phone(3), _call(3), _phone(4), _call(4)], sink=lambda r: None, tick=None)
    out = list(tap)
    assert [type(r).__name__ for r in out] == ["NodeRecord", "EdgeRecord", "EdgeRecord", "EdgeRecord"]
    assert tap.repeats == 2


def test_a_repeat_that_says_something_new_passes():
    changed = _phone(3, {**PHONE, "imei": ["356938035643809"]})
    assert len(list(Tap([_phone(2), changed, _phone(4)], sink=lambda r: None, tick=None))) == 3


def test_the_same_node_from_another_source_passes():
    assert len(list(Tap([_phone(2), _phone(3, source="kyc")], sink=lambda r: None, tick=None))) == 2


def test_deletes_and_rejections_are_never_taken_for_repeats():
    gone = NodeRecord("Phone", "phone:+66812345678", dict(PHONE), Origin("cdr", "cdr.csv", 3), op="delete")
    rejected: list[Rejection] = []
    bad = Rejection("cdr.csv", 5, "bad number", {"caller": "N/A"})
    out = list(Tap([_phone(2), gone, gone, bad], sink=rejected.append, tick=None))
    assert len(out) == 3 and rejected == [bad]


async def test_a_dry_run_counts_distinct_nodes_and_relationships_as_a_real_run_reads_them():
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.readers.base import ReadStats

    class Listed:
        stats = ReadStats(rows=3)

        def records(self):
            for line in (2, 3, 4):
                yield _phone(line, {**PHONE, "lineType": "mobile"} if line == 3 else None)
                yield _call(line)

    summary = await run_load(None, Listed(), source="cdr", dry_run=True)
    assert (summary.nodes_read, summary.relationships_read) == (1, 3)


async def test_a_load_relaxes_the_cyclic_gc_while_it_runs_and_restores_it_after():
    import gc

    from graphapi.ingest.load_gc import LOAD_GC_THRESHOLDS
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.readers.base import ReadStats

    seen = []

    class Watching:
        stats = ReadStats(rows=1)

        def records(self):
            seen.append(gc.get_threshold())
            yield _phone(2)

    before = gc.get_threshold()
    await run_load(None, Watching(), source="cdr", dry_run=True)
    assert seen == [LOAD_GC_THRESHOLDS] and gc.get_threshold() == before


def test_ids_a_reader_made_canonical_are_not_checked_again(monkeypatch):
    from graphapi.ingest import record_tap

    def checked(item):
        raise AssertionError(f"checked again: {item.id}")

    monkeypatch.setattr(record_tap, "_ids_canonical", checked)
    out = list(Tap([_phone(2), _call(2)], sink=lambda r: None, tick=None, ids_checked=True))
    assert [r.id for r in out] == ["phone:+66812345678", "called:2"]
