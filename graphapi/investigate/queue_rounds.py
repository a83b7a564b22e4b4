"""One look at the search queue a round for all of a worker's waiting tickets of a lane, not one each
(attack round a-88, 3).

Each waiting ticket looked every 20 ms on its own, and each look locked the queue, scanned its folder
and probed every ticket's lock: O(N) a look, O(N^2) a round. A ticket was served only by its own
look, so with 400 tickets of one agency waiting, another agency first in turn was served 2.6-4.5 s
after the slot freed (0.02 s without them). Now a worker's tickets of one lane join its :class:`Round`,
whose one task looks (``give``: the lane's decision, the slots it gives handed to the chosen local
tickets) every ``POLL_S``, at once when a ticket joins and when one of the worker's statements gives
its slot back; a ticket waits for its slot on a future. Which ticket goes next is decided as before,
from the tickets of every worker: whose worker looks first still wins nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Hashable
from pathlib import Path

#: A round's look: give the slots free now to the chosen tickets among the waiting ones (name ->
#: the future their slot's descriptor is set on).
Give = Callable[[dict[str, asyncio.Future]], None]
#: The rounds of this process, by event loop and lane configuration (its folder first).
_rounds: dict[tuple[asyncio.AbstractEventLoop, Hashable], Round] = {}


class Round:
    """The waiting tickets of one lane of one worker, looked after by one task."""

    def __init__(self, key: tuple[asyncio.AbstractEventLoop, Hashable], folder: Path, give: Give,
                 poll_s: float) -> None:
        self.key, self.folder, self.give, self.poll_s = key, folder, give, poll_s
        self.waiting: dict[str, asyncio.Future] = {}
        self.wake = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.looks = 0  # how many looks it took (tests count them, not time)

    def join(self, name: str) -> asyncio.Future:
        """The future ``name``'s slot descriptor is set on when its turn comes."""
        future = asyncio.get_running_loop().create_future()
        self.waiting[name] = future
        self.wake.set()  # its first look at once, as when each ticket looked itself
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())
        return future

    def leave(self, name: str) -> None:
        self.waiting.pop(name, None)

    async def _run(self) -> None:
        try:
            while self.waiting:
                self.wake.clear()
                self.looks += 1
                try:
                    self.give(self.waiting)
                except Exception as failed:  # noqa: BLE001 - each waiting ticket raises it, as its own look did
                    for future in self.waiting.values():
                        if not future.done():
                            future.set_exception(failed)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), self.poll_s)
        finally:
            if _rounds.get(self.key) is self:
                del _rounds[self.key]


def round_for(config: Hashable, folder: Path, give: Give, poll_s: float) -> Round:
    """The running loop's round of lane ``config`` (made on first use)."""
    key = (asyncio.get_running_loop(), config)
    if (found := _rounds.get(key)) is None:
        found = _rounds[key] = Round(key, folder, give, poll_s)
    return found


def wake(folder: Path) -> None:
    """Have the rounds on ``folder`` of the running loop look now: a slot was given back, or an agency
    held back may go."""
    with contextlib.suppress(RuntimeError):  # no running loop: they look at their next round
        loop = asyncio.get_running_loop()
        for (their_loop, _config), found in list(_rounds.items()):
            if their_loop is loop and found.folder == folder:
                found.wake.set()
