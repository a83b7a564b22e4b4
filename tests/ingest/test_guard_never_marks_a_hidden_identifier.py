"""A load never marks an identifier its agency may not see (attack round a-58, 1, HIGH: LA-POL's links
alone, naming KH-NP's RED phone by id, were refused, yet the guard's quarantine marked the phone for
KH-NP, whose next link to its own phone became text)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.security import Principal
from tests.ingest.phone_holders import LIMIT, PHONE
from tests.ingest.test_quarantine_audience import QUARANTINED, _People
from tests.investigate.graphql_answers import answer

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
KH = Principal("ana-kh", agency="KH-NP")
TH_PEOPLE = [f"per-th-{i}" for i in range(LIMIT)]


class _Reader:
    def __init__(self, recs):
        self.recs = recs
        self.stats = ReadStats(rows=len(recs))

    def records(self):
        yield from self.recs


def _links(people, src, phone_record=False):
    out = []
    for i, pid in enumerate(people, start=2):
        o = Origin(src, f"{src}.csv", i)
        if phone_record:
            out.append(NodeRecord("Phone", PHONE, {"number": "+66811111111"}, o))
        out.append(EdgeRecord("USES_PHONE", f"uses-{src}-{pid}", pid, PHONE, {}, o))
    return out


async def _props(store, nid):
    rows = await store.read("ingest/existing_nodes", {"ids": [nid]})
    return rows[0]["props"] if rows and rows[0]["props"] is not None else None


async def _setup(store, kh_phone: bool):
    await run_load(store, _People(TH_PEOPLE, "thp"), source="thp", provenance=Provenance(owner="TH-DSI", tlp="GREEN"),
                   viewer="TH-DSI", correlation_limit=LIMIT)
    await run_load(store, _People(["per-la-x"], "lap"), source="lap",
                   provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL", correlation_limit=LIMIT)
    if kh_phone:  # KH-NP's RED phone, its RED links from the 5 GREEN people: 5 holders, not past 5
        await run_load(store, _Reader(_links(TH_PEOPLE, "kh", True)), source="kh",
                       provenance=Provenance(owner="KH-NP", tlp="RED"), viewer="KH-NP", correlation_limit=LIMIT)


async def _la_links_alone(store):
    # LA-POL may not see the phone; it names it by id, its load AMBER shared with KH-NP
    return await run_load(store, _Reader(_links([*TH_PEOPLE, "per-la-x"], "la")), source="la",
                          provenance=Provenance(owner="LA-POL", tlp="AMBER", shared_with=("KH-NP",)),
                          viewer="LA-POL", correlation_limit=LIMIT)


async def test_links_alone_naming_a_phone_the_loader_may_not_see_never_quarantine_it(empty_store):
    await _setup(empty_store, True)
    before = dict(await _props(empty_store, PHONE))
    await _la_links_alone(empty_store)
    after = await _props(empty_store, PHONE)
    assert [{k: p.get(k) for k in ("quarantined", "quarantinedFor")} for p in (before, after)] == [
        {"quarantined": None, "quarantinedFor": None}] * 2
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": None}}
