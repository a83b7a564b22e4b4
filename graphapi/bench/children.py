"""The bench's processes end with it: an API server, a traffic client or an embedded store the
bench started must not outlive a bench that was stopped (attack round 11, B1: after a SIGTERM or
kill -9 of ``lintas bench``, its anonymous demo API kept answering on loopback).

- SIGTERM cancels the bench's main task, so every ``async with`` and ``finally`` of it runs
  (servers stopped, the store detached and shut down) before the process exits.
- A child started with :func:`die_with_parent` gets SIGTERM from the kernel when the bench dies
  outright (Linux ``PR_SET_PDEATHSIG``); the API server, once stopped, detaches from the
  embedded store, which then stops since no client of it is left alive.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

from graphapi.process_lifetime import die_with_parent

__all__ = ["Terminated", "die_with_parent", "until_terminated"]

T = TypeVar("T")


class Terminated(Exception):
    """The bench was asked to stop (SIGTERM); what it started has been stopped."""


async def until_terminated(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work``; SIGTERM cancels it (its cleanup runs) and raises :class:`Terminated`."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        stopped = True
        task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, stop)
    except (NotImplementedError, RuntimeError):  # not the main thread, or no signals here
        return await task
    try:
        return await task
    except asyncio.CancelledError:
        if stopped:
            raise Terminated from None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
