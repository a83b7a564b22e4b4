"""The setups of the failed-grant tests: VN-MPS's people (CLEAR or RED), its tie between them and its
phone; TH-DSI's requests; a grant cut off straight after its share (a 504, or a lost reply on the
share's last write), its take-back failing too where a test asks."""

from __future__ import annotations

import asyncio
import json
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
from graphapi.security.access_index import index_path
from graphapi.security.share import share
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


async def write_vn(store: Any, records: list, tlp: str, shared_with: tuple[str, ...] = (),
                   seen: str | None = None) -> None:
    """VN-MPS's own records at ``tlp``, shared with ``shared_with`` (seen None: now)."""
    await write_records(store, records, provenance=Provenance(owner="VN-MPS", tlp=tlp, shared_with=shared_with,
                                                              seen=seen), source="graphql:VN-MPS")


def vn_tie(op: str = "merge") -> EdgeRecord:
    """VN-MPS's record of the tie per-a -- per-b (``op``: merge, replace or delete)."""
    return EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "boss"}, op=op)


async def write_vn_red_people(store: Any) -> None:
    await write_vn(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")], "RED")


async def write_vn_red_people_and_tie(store: Any) -> None:
    """VN-MPS's two RED people and its RED tie between them: closed to every other agency."""
    await write_vn_red_people(store)
    await write_vn(store, [vn_tie()], "RED")


async def vn_says_phone(store: Any, tlp: str, shared_with: tuple[str, ...] = (), op: str = "merge",
                        seen: str | None = None) -> None:
    await write_vn(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"}, op=op)], tlp, shared_with, seen)


async def write_vn_phone(store: Any, tlp: str) -> None:
    await vn_says_phone(store, tlp, seen=SEEN)


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


async def th_phone_grant_killed(store: Any, tmp_path: Path, monkeypatch: Any) -> tuple[AccessRequestStore, str]:
    """VN-MPS's RED phone; TH-DSI's request for it, its grant killed after the share and its take-back
    failing: the request store and the killed request's id."""
    await write_vn_phone(store, "RED")
    requests, killed = await th_asks_for_phone(store, tmp_path)
    await cut_off_after_share(store, requests, killed, monkeypatch, ids=None, take_back_dies=True)
    return requests, killed


async def per_b_grant_killed_beside_per_a_shared(store: Any, tmp_path: Path, monkeypatch: Any
                                                 ) -> tuple[AccessRequestStore, Any, Any]:
    """TH-DSI files K (per-b) then G (per-a); VN-MPS shares per-a with TH-DSI (AMBER) and K's grant is
    killed after its share, its take-back failing: the request store, K and G (G pending)."""
    requests = AccessRequestStore(tmp_path / "access.json")
    k = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-b", ids=["per-b"])
    g = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-a", ids=["per-a"])
    await share(store, VN_SUP, ["per-a"], ["TH-DSI"], tlp="AMBER")  # TH-DSI sees per-a, not per-b
    await cut_off_after_share(store, requests, k.id, monkeypatch, ids=None, take_back_dies=True)
    return requests, k, g


def as_the_index_was_before(requests: AccessRequestStore, field: str) -> None:
    """Rewrite the side index as a version before each granted entry's ``field`` wrote it, naming this file."""
    older = json.loads(index_path(requests.path).read_text(encoding="utf-8"))
    for granted in older["granted"]:
        del granted[field]
    index_path(requests.path).write_text(json.dumps(older), encoding="utf-8")
