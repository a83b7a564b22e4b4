"""A bulk read's reply is parsed, decoded and freed in its thread without one long C call holding the
GIL (attack round a-88, 5: a 20,000-row crossings read stalled the event loop 150-530 ms, its work
already in a thread). The GIL holders were Python's cyclic collector, whose full passes, set off by
the parse's allocations and walking the whole growing reply each time (4-5 passes of 60-127 ms in a
10 MB reply), ran inside hiredis' parse; and the reply freed whole on the loop once decoded. Counted
in collections and in what is left to free, never in time. No store."""

import gc
import threading

from graphapi.store import bulk, falkordb
from graphapi.store.bulk import off_loop

#: Rows of the replies below: the collector's threshold passed many times while they are made.
ROWS = 20_000


async def test_a_bulk_reads_parse_runs_no_cyclic_collection():
    parsing, collections = threading.Event(), []

    def parse_like() -> list:
        parsing.set()
        try:
            return [[i, [i]] for i in range(ROWS)]  # many small lists kept, as a reply's
        finally:
            parsing.clear()

    def seen(phase: str, info: dict) -> None:
        if phase == "start" and parsing.is_set():
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        rows = await off_loop(parse_like)
    finally:
        gc.callbacks.remove(seen)
    assert len(rows) == ROWS
    assert collections == []  # was about 60, full passes among them
    assert gc.isenabled()  # on again once no bulk read parses


class _Client:
    """A blocking client answering one compact GRAPH.RO_QUERY reply of ``ROWS`` rows."""

    def __init__(self) -> None:
        self.reply = [[[1, "n"]], [[[3, i]] for i in range(ROWS)], ["Query internal execution time: 2.5 milliseconds"]]

    def execute_command(self, *command: object) -> list:
        return self.reply


def test_a_bulk_reads_reply_is_freed_in_its_thread():
    client = _Client()
    ran, rows = falkordb._received(client, ("GRAPH.RO_QUERY",))
    assert (ran, rows[0], rows[-1], len(rows)) == ([2.5], {"n": 0}, {"n": ROWS - 1}, ROWS)
    assert client.reply[1] == []  # was returned whole to the loop, freed there in one C call


class _Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now


def test_a_collector_paused_past_its_bound_runs_again_though_bulk_reads_overlap(monkeypatch):
    clock = _Clock(1000.0)
    monkeypatch.setattr(bulk, "time", clock)
    with bulk.collection_paused():
        assert not gc.isenabled()
        clock.now += bulk.MAX_PAUSE_S + 0.1
        with bulk.collection_paused():  # another read, begun while the first still runs
            # was paused as long as any bulk read ran: for ever under back-to-back reads, cyclic
            # garbage never collected
            assert gc.isenabled()
    assert gc.isenabled()
