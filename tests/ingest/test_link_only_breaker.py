"""The circuit breaker checks a link to a stored identifier whether or not the load carries a node
record of it (attack round 55, 4): a load of relationship records alone is diverted from a
quarantined phone, and counted, as one naming the phone is."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, Origin
from graphapi.ingest.service import ingest_records
from tests.ingest.phone_holders import LIMIT, PHONE, PhoneHolders, load_holders
from tests.ingest.test_quarantine_audience import _People

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _holders(store) -> int:
    rows = await store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"], "agencies": []})
    return rows[0]["holders"]


async def test_a_link_only_record_to_a_phone_quarantined_for_everyone_becomes_text(empty_store):
    await load_holders(empty_store, ["per-th-a", "per-th-b", "per-th-c"], "th", "TH-DSI", "GREEN")
    await load_holders(empty_store, ["per-vn-a", "per-vn-b", "per-vn-c"], "vn", "VN-MPS", "GREEN")
    await run_load(empty_store, _People(["per-la-x"], "lap"), source="lap",
                   provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL", correlation_limit=LIMIT)
    out = await ingest_records(empty_store, [{"kind": "relationship", "type": "USES_PHONE", "from": "per-la-x",
                                              "to": PHONE}], source="la-api", owner="LA-POL", tlp="GREEN")
    assert (out.summary.relationships_created, out.summary.quarantined) == (0, 1)
    assert await _holders(empty_store) == 6


class _Links(PhoneHolders):
    """Links alone, from holders and to a phone earlier loads wrote."""

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            yield EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, Origin(self.src, f"{self.src}.csv", i))


KH_GREEN = Provenance(owner="KH-NP", tlp="GREEN")
SEVEN = [f"per-kh-{i}" for i in range(7)]


async def _seven_links_alone(store):
    """TH-DSI's holder of the phone, then KH-NP's seven people and, in a load of their own, their links."""
    await load_holders(store, ["per-th-a"], "th", "TH-DSI", "GREEN")
    await run_load(store, _People(SEVEN, "khp"), source="khp", provenance=KH_GREEN, viewer="KH-NP",
                   correlation_limit=LIMIT)
    return await run_load(store, _Links(SEVEN, "kh"), source="kh", provenance=KH_GREEN, viewer="KH-NP",
                          correlation_limit=LIMIT)


async def test_the_guard_counts_link_only_records_within_one_load(empty_store):
    kh = await _seven_links_alone(empty_store)
    assert (kh.relationships_created, kh.quarantined) == (5, 1)
    assert await _holders(empty_store) == 6


async def _identifiers(store, pid: str):
    rows = await store.read("ingest/existing_nodes", {"ids": [pid]})
    return rows[0]["props"].get("identifiers")


# a link not written to a quarantined identifier is kept as text on its holder, or named in a reject
# line: never lost unsaid (attack round 55, 2)
async def test_a_link_the_guard_makes_text_is_kept_on_a_holder_the_load_names_only_by_id(empty_store):
    await _seven_links_alone(empty_store)
    assert [await _identifiers(empty_store, p) for p in ("per-kh-4", "per-kh-5", "per-kh-6")] == [
        None, ["Phone:+66811111111"], ["Phone:+66811111111"]]


async def _quarantined_for_everyone(store):
    await load_holders(store, ["per-th-a", "per-th-b", "per-th-c"], "th", "TH-DSI", "GREEN")
    await load_holders(store, ["per-vn-a", "per-vn-b", "per-vn-c"], "vn", "VN-MPS", "GREEN")


async def test_a_new_link_to_a_quarantined_phone_is_kept_on_a_stored_holder_the_load_names_only_by_id(empty_store):
    await _quarantined_for_everyone(empty_store)
    await run_load(empty_store, _People(["per-la-x"], "lap"), source="lap",
                   provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL", correlation_limit=LIMIT)
    la = await run_load(empty_store, _Links(["per-la-x"], "la"), source="la",
                        provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL", correlation_limit=LIMIT)
    assert (la.relationships_created, la.quarantined, la.restricted) == (0, 1, 0)
    assert await _identifiers(empty_store, "per-la-x") == ["Phone:+66811111111"]


async def test_a_new_link_to_a_quarantined_phone_from_no_stored_holder_is_named_in_a_reject_line(empty_store):
    await _quarantined_for_everyone(empty_store)
    la = await run_load(empty_store, _Links(["per-nobody"], "la"), source="la",
                        provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL", correlation_limit=LIMIT)
    assert [r.raw for r in la.rejections] == [{"id": "uses-per-nobody", "start": "per-nobody", "end": PHONE}]


async def test_the_reject_line_of_a_link_kept_as_text_on_a_wider_holder_names_the_link_and_text_lost(empty_store):
    th = [f"per-th-{i}" for i in range(LIMIT)]
    await run_load(empty_store, _People(th, "thp"), source="thp",
                   provenance=Provenance(owner="TH-DSI", tlp="GREEN"), viewer="TH-DSI", correlation_limit=LIMIT)
    await run_load(empty_store, _People(["per-la-x"], "lap"), source="lap",
                   provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL", correlation_limit=LIMIT)
    # six AMBER links to a phone named by id: the guard keeps the sixth as text on GREEN per-la-x, refused
    la = await run_load(empty_store, _Links([*th, "per-la-x"], "la"), source="la",
                        provenance=Provenance(owner="LA-POL", tlp="AMBER", shared_with=("KH-NP",)), viewer="LA-POL",
                        correlation_limit=LIMIT)
    [lost] = [r for r in la.rejections if r.raw.get("id") == "per-la-x"]
    assert lost.reason == ("would disclose: your record is AMBER but per-la-x is GREEN; not merged (raise its TLP "
                           "first); the USES_PHONE uses-per-la-x to Phone:+66811111111, kept as text on it, is lost")
    assert (lost.raw["link"], lost.raw["text"]) == ("uses-per-la-x", "Phone:+66811111111")
