"""A turn the search queue gave (:meth:`graphapi.investigate.search_queue.SearchQueue.turn`): what its
holder may ask of it once its statement runs."""

from __future__ import annotations

import asyncio

from graphapi.investigate.queue_tickets import OUTLASTING_LANES


class Turn:
    """A turn given (:meth:`SearchQueue.turn`) in ``lane``: :meth:`outlast` keeps the agency's place
    for a statement that runs on past the slot."""

    def __init__(self, lane: str) -> None:
        self.lane = lane
        self.outlasting: asyncio.Future | None = None

    def outlast(self, statement: asyncio.Future) -> None:
        """``statement`` may run on in the store after the slot is given back: until it ends, the
        ticket stays (``over-``), counting in :data:`OVERRUNS_PER_AGENCY`, and its time is charged.
        Only in :data:`OUTLASTING_LANES`: elsewhere an agency's statements in its lane's other slots
        are not counted, and with two slots it had two running on (attack round a-93, 5: searches
        outlasting their broad slots); such a lane's statement holds its slot until it ends."""
        if self.lane not in OUTLASTING_LANES:
            raise ValueError(f"search queue: the {self.lane} lane's statements cannot run on past their slot "
                             f"(not in OUTLASTING_LANES): it must hold the slot until it ends")
        self.outlasting = statement
