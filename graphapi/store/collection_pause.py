"""Python's cyclic collector paused while a bulk read's reply is parsed and decoded in its thread,
for at most :data:`MAX_PAUSE_S` by a real clock (attack rounds a-88, 5 and a-93, 1).

A bulk read's work is in a thread (:mod:`graphapi.store.bulk`), but a thread still holds the GIL
inside one C call, and the collector ran inside hiredis' parse: its passes, set off by the parse's
allocations, walk the whole reply parsed so far (4-5 full passes of 60-127 ms in a 20,000-row,
10 MB reply), and the event loop stalled 150-530 ms. Paused, reference counting still frees all the
read drops; the cycles anything makes meanwhile (any request of the worker: the pause is
process-wide) wait for the collector's next pass.

So the pause is bounded by time itself: a timer thread turns the collector on again
:data:`MAX_PAUSE_S` after the pause began, whatever the reads are doing (a-93, 1: checked only when
another read began, one read hung on its server kept it off for 35 s and 148 MB of cycles). Reads
overlapping the one that began it do not pause it again till every one has ended: back-to-back
reads of several agencies kept it off for good. The pause covers the parse and the decode only,
never the wait for the server's reply (:mod:`graphapi.store.falkordb_connection`), nor anything
on the event loop.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator
from functools import partial

#: The longest the collector stays off for bulk reads at once (a 50,000-row reply parsed and
#: decoded: about 2 s of CPU).
MAX_PAUSE_S = 2.0

_lock = threading.Lock()
#: Blocks inside :func:`collection_paused` now (any thread).
_pausing = 0
#: Whether this module turned the collector off (and so turns it on again).
_paused = False
#: The bound of this overlap of reads passed: none pauses again till all have ended.
_spent = False
_timer: threading.Timer | None = None
#: Pauses begun so far: a timer fires for its own pause only.
_pauses = 0


def _start_timer(seconds: float, then: Callable[[], None]) -> threading.Timer:
    timer = threading.Timer(seconds, then)
    timer.daemon = True  # never keeps a process from exiting
    timer.start()
    return timer


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic collector off for the block, at most :data:`MAX_PAUSE_S` from when the first of
    the overlapping blocks (any thread) turned it off; on again when the last ends or at that bound.
    A collector someone else turned off stays off."""
    global _pausing, _paused, _spent, _timer, _pauses
    with _lock:
        if not _pausing:
            _spent = False
        _pausing += 1
        if not (_paused or _spent) and gc.isenabled():
            _pauses += 1
            with contextlib.suppress(RuntimeError):  # no thread to bound it (none left): no pause
                _timer = _start_timer(MAX_PAUSE_S, partial(_bound_reached, _pauses))
                gc.disable()
                _paused = True
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if not _pausing:
                _resume()


def _bound_reached(pause: int) -> None:
    """:data:`MAX_PAUSE_S` has passed since ``pause`` began (the timer's thread)."""
    global _spent
    with _lock:
        if pause != _pauses or not _paused:
            return  # ended before its timer could be cancelled
        if _pausing:
            _spent = True
        _resume()


def _resume() -> None:
    """The collector on again if this module turned it off (under ``_lock``)."""
    global _paused, _timer
    if _paused:
        gc.enable()
        _paused = False
    if _timer is not None:
        _timer.cancel()
        _timer = None


_kept = threading.local()


@contextlib.contextmanager
def pauses_kept() -> Iterator[None]:
    """A pause handed over in the block (this thread: :func:`kept`) lasts till the block ends: a
    reply parsed paused, then decoded and freed, makes one pause, not two; a pause ended between
    them had the collector pass over the whole reply (20,000 rows: 21 ms holding the GIL)."""
    _kept.pauses = []
    try:
        yield
    finally:
        pauses, _kept.pauses = _kept.pauses, None
        for pause in reversed(pauses):
            pause.__exit__(None, None, None)


def kept(pause: contextlib.AbstractContextManager) -> bool:
    """Whether ``pause`` (entered) is kept till the end of this thread's :func:`pauses_kept`."""
    if (pauses := getattr(_kept, "pauses", None)) is None:
        return False
    pauses.append(pause)
    return True

