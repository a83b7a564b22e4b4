"""An agency runs at most OVERRUNS_PER_AGENCY statements on in the store past their slot, in every
lane: only a lane whose statements in a slot count as possible overruns (OUTLASTING_LANES,
coTravelGroups' crossings reads) may run one on past its slot. A search outlasting its broad slot
was counted only once ``over-``: with two broad slots (Neo4j's default) one agency's two searches
took both and both ran on (attack round a-93, 5). No store."""

import asyncio

from graphapi.investigate.search_queue import SearchQueue
from graphapi.security import Principal

TH = [Principal(f"analyst-th-{i}", agency="TH-DSI", roles=frozenset({"analyst"})) for i in range(2)]


async def test_two_searches_of_one_agency_in_two_broad_slots_never_run_on_past_them(tmp_path):
    lane = SearchQueue(tmp_path / "search-queue", 2, 4, 1.0, lane="broad", hold_s=0.2)
    statement = asyncio.get_running_loop().create_future()  # the store never answers

    async def search(principal: Principal) -> None:
        async with lane.turn(principal) as turn:
            turn.outlast(statement)

    refused = await asyncio.gather(*(search(p) for p in TH), return_exceptions=True)
    over = sorted(p.name for p in (tmp_path / "search-queue").glob("over-*"))
    statement.set_result(None)
    assert over == []  # were TH-DSI's two over- tickets: two statements run on, one allowed
    assert [type(e) for e in refused] == [ValueError, ValueError]
