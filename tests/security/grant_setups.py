"""The setups of the failed-grant tests: VN-MPS's two CLEAR people, its tie between them and its
phone; TH-DSI's request for the phone; a grant cut off straight after its share (a 504, or a lost
reply on the share's last write), its take-back failing too where a test asks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import Principal
from graphapi.security import access_decide as decide_module
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide
from graphapi.security.turns import settled

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
KH = Principal("analyst-kh", agency="KH-NPA", roles=frozenset({"analyst"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
TIE = "associate_of:per-a:per-b"
PHONE = "phone:+84987654321"
GRANTED = [PHONE, "per-a", "per-b"]


async def ties_seen_by(store: Any, who: Principal) -> list[str]:
    """The ties of per-a that ``who`` reads."""
    [page] = await relationships_of(store, who, ["per-a"])
    return [e.relationship.id for e in page.edges]


#: One instant for VN-MPS's records: a kill test compares graphs made seconds apart (firstSeen).
SEEN = "2026-01-01T00:00:00Z"


async def write_vn_phone(store: Any, tlp: str) -> None:
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"})],
                        provenance=Provenance(owner="VN-MPS", tlp=tlp, seen=SEEN), source="graphql:VN-MPS")


async def write_vn_people_tie_phone(store: Any, *, tie_tlp: str, phone_tlp: str) -> None:
    """Two CLEAR people of VN-MPS, its tie between them and its phone, at the levels given."""
    await write_records(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")],
                        provenance=Provenance(owner="VN-MPS", tlp="CLEAR"), source="graphql:VN-MPS")
    await write_records(store, [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "boss"})],
                        provenance=Provenance(owner="VN-MPS", tlp=tie_tlp), source="graphql:VN-MPS")
    await write_vn_phone(store, phone_tlp)


async def th_asks_for_phone(store: Any, tmp_path: Path) -> tuple[AccessRequestStore, str]:
    """TH-DSI's request to VN-MPS for the phone: the request store and the request's id."""
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0142", ids=[PHONE])
    return requests, request.id


async def cut_off_after_share(store: Any, requests: AccessRequestStore, request_id: str, monkeypatch: Any,
                                        *, ids: list[str] | None = GRANTED, take_back_dies: bool = False) -> None:
    """VN-MPS grants ``ids`` (None: what was asked) and is cut off straight after the share; with
    ``take_back_dies`` the grant's take-back of what it shared fails too, so all stays noted."""
    real_share = decide_module.share

    async def share_then_cut_off(*args, **kwargs):
        await real_share(*args, **kwargs)
        raise asyncio.CancelledError

    async def dies(*args, **kwargs):
        raise OSError("the store went away while taking back")

    with monkeypatch.context() as m:
        m.setattr(decide_module, "share", share_then_cut_off)
        if take_back_dies:
            m.setattr(decide_module, "take_back_also", dies)
        with pytest.raises(asyncio.CancelledError):
            await decide(store, requests, VN_SUP, request_id, grant=True, ids=ids)
    await settled()
