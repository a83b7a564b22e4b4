"""A broad search yields to writes for at most half its wait: with LINTAS_SEARCH_YIELD_TO_WRITES_S
past LINTAS_SEARCH_WAIT_S, any agency's stream of small writes refused every broad search of every
agency while the broad slot sat idle (attack round 31c)."""

from __future__ import annotations

import pytest

from graphapi.investigate.search_lanes import in_lanes
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store.errors import StoreTimeout
from graphapi.store.write_marks import QUEUE_FOLDER, WriteMark

pytestmark = pytest.mark.asyncio(loop_scope="session")

VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


async def test_a_broad_search_runs_on_an_idle_slot_within_its_wait_while_another_agency_writes(monkeypatch, tmp_path):
    for name, value in {"search_slots": 1, "data_dir": tmp_path, "search_wait_s": 1.0,
                        "search_yield_to_writes_s": 2.0}.items():
        monkeypatch.setattr(get_settings(), name, value)

    async def broad(timeout_ms: int):
        if timeout_ms == get_settings().search_quick_ms:
            raise StoreTimeout("cut in the quick lane")
        return "ran"

    with WriteMark(tmp_path / QUEUE_FOLDER).writing():  # another agency's load, batch after batch
        assert await in_lanes(VN, None, broad) == "ran"
