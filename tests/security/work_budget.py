"""Bound the work a piece of code does by counting Python function calls, not seconds.

A test that says "linear, not exponential" with a wall-clock bound fails on a loaded machine; a
call count is the same on every machine. :func:`at_most_calls` raises :class:`TooMuchWork` from
inside the counted code as soon as the budget is spent, so an exponential regression fails fast
instead of hanging the suite.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


class TooMuchWork(AssertionError):
    pass


class _Counter:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.calls = 0

    def __call__(self, _frame, event: str, _arg) -> None:
        if event == "call":  # Python-level calls only; C calls are bounded by the Python around them
            self.calls += 1
            if self.calls > self.budget:
                raise TooMuchWork(f"more than {self.budget} Python calls")


@contextmanager
def at_most_calls(budget: int) -> Iterator[_Counter]:
    """Count Python function calls made in this thread inside the block; fail past ``budget``."""
    counter = _Counter(budget)
    previous = sys.getprofile()
    sys.setprofile(counter)
    try:
        yield counter
    finally:
        sys.setprofile(previous)
