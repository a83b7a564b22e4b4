"""A search the store never answers (a hung server: SIGSTOP, a lost network) ends at its slot's hold,
its time limit plus the cut margin, and gives the slot back: it held the slot until the store client
gave up (FalkorDB's socket timeout, Neo4j's client deadline, 35-55 s), past every other agency's
LINTAS_SEARCH_WAIT_S, as coTravelGroups' crossings read no longer did (attack round a-88, R7 held
for it alone). Its statement, which the store may still run, keeps its ticket till it ends. No store."""

import asyncio

import pytest

from graphapi.errors import LintasError, public_error
from graphapi.investigate.search_lanes import in_lanes
from graphapi.security import Principal
from graphapi.settings import get_settings

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
#: A test's bound on what should end within a broad slot's hold (0.15 s here) and a wait (1 s).
BOUND_S = 3.0


@pytest.fixture
def broad_lane_only(monkeypatch, tmp_path):
    """One broad slot held 0.1 s + 0.05 s at most by a search, a 1 s wait, no quick lane."""
    for name, value in {"search_slots": 1, "search_quick_ms": 0, "search_timeout_ms": 100, "search_cut_margin_s": 0.05,
                        "search_wait_s": 1.0, "data_dir": tmp_path}.items():
        monkeypatch.setattr(get_settings(), name, value)
    return tmp_path / "search-queue"


@pytest.fixture
async def hung_store():
    """A search of TH's in a store that does not answer until the test ends."""
    resumed = asyncio.Event()

    async def never_answered(timeout_ms: int) -> str:
        await resumed.wait()
        return "late"

    search = asyncio.ensure_future(in_lanes(TH, None, never_answered))
    await asyncio.sleep(0.02)  # it took the slot
    yield search
    resumed.set()
    await asyncio.gather(search, return_exceptions=True)
    await asyncio.sleep(0.01)  # its statement ended: its ticket leaves


async def _answered(principal: Principal) -> str:
    async def run(timeout_ms: int) -> str:
        return "ran"
    try:
        return await in_lanes(principal, None, run)
    except LintasError as refused:
        return public_error(refused)[0]


async def test_a_search_the_store_never_answers_gives_its_slot_to_the_next_in_turn(broad_lane_only, hung_store):
    assert await asyncio.wait_for(_answered(VN), BOUND_S) == "ran"  # was RATE_LIMITED after its whole wait


async def test_a_search_the_store_never_answers_ends_at_its_hold_with_timeout(broad_lane_only, hung_store):
    done, _ = await asyncio.wait({hung_store}, timeout=BOUND_S)  # was never, till the store answered
    assert done and isinstance(hung_store.exception(), LintasError)
    assert public_error(hung_store.exception())[0] == "TIMEOUT"


async def test_a_search_run_on_past_its_hold_holds_back_its_agencys_next(broad_lane_only, hung_store):
    await asyncio.wait({hung_store}, timeout=BOUND_S)
    # TH's statement may still run in the store: TH's next search waits for it (one overrun an agency)
    assert await asyncio.wait_for(_answered(TH), BOUND_S) == "RATE_LIMITED"
