"""A load reads the holders of an identifier it links whole once, and keeps them current from its
own changes (graphapi/ingest/holder_tally.py): a delta of DEL/ADD pairs of one link to a hub read
the hub's every holder once per pair, in the write lease (attack round a-62, 6)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from tests.ingest.ingest_helpers import Records
from tests.ingest.phone_holders import LIMIT, PHONE, load_holders

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
#: KH-NP's RED holders of the hub, and LA-POL's DEL/ADD pairs of its one link to it
HUB_HOLDERS = 200
PAIRS = 40
#: the reads of an identifier's every link: counting its holders (the breaker's, a recount's), and
#: the links on the ends of a link deleted, for the placeholders among them
WHOLE = ("ingest/identifier_holders", "ingest/identifier_holder_sets", "ingest/link_levels")


async def _hub_only_kh_np_sees(store) -> None:
    """The GREEN phone LA-POL may see, whose holders are KH-NP's RED ones (marked for KH-NP only:
    LA-POL's links to it are written, not kept as text), and LA-POL's GREEN person per-la-x."""
    await run_load(store, Records(NodeRecord("Phone", PHONE, {"number": "+66811111111"}, Origin("khp", "khp.csv", 1))),
                   source="khp", provenance=Provenance(owner="KH-NP", tlp="GREEN"), viewer="KH-NP")
    recs = []
    for i in range(HUB_HOLDERS):
        o = Origin("kh", "kh.csv", i + 2)
        recs += [NodeRecord("Person", f"per-h-{i}", {"name": f"h{i}"}, o),
                 EdgeRecord("USES_PHONE", f"uses-h-{i}", f"per-h-{i}", PHONE, {}, o)]
    await run_load(store, Records(*recs), source="kh", provenance=Provenance(owner="KH-NP", tlp="RED"),
                   viewer="KH-NP", correlation_limit=HUB_HOLDERS + 1)
    await store.write_batches("ingest/update_nodes", [{"id": PHONE, "props": {"quarantinedFor": ["KH-NP"]}}], 10)
    await run_load(store, Records(NodeRecord("Person", "per-la-x", {"name": "x"}, Origin("la0", "la0.csv", 1))),
                   source="la", provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL")


def _reads(store, monkeypatch) -> list[tuple[str, list[str]]]:
    """The reads of holders from now on: (query, identifiers it reads whole or pairs it reads)."""
    seen: list[tuple[str, list[str]]] = []
    read = store.read

    async def spying(name, params=None, *args, **kwargs):
        if name in WHOLE:
            seen.append((name, list(params["ids"])))
        elif name == "ingest/identifier_holders_among":
            seen.append((name, [p["i"] for p in params["pairs"]]))
        return await read(name, params, *args, **kwargs)
    monkeypatch.setattr(store, "read", spying)
    return seen


async def test_del_add_pairs_to_a_hub_read_its_holders_whole_once_per_load(empty_store, monkeypatch):
    await _hub_only_kh_np_sees(empty_store)
    reads = _reads(empty_store, monkeypatch)
    recs = []
    for i in range(PAIRS):
        o = Origin("lah", "lah.csv", i + 2)
        recs += [EdgeRecord("USES_PHONE", "uses-lah", "per-la-x", PHONE, {}, o, op="delete"),
                 EdgeRecord("USES_PHONE", "uses-lah", "per-la-x", PHONE, {}, o)]
    out = await run_load(empty_store, Records(*recs), source="la", provenance=Provenance(owner="LA-POL", tlp="GREEN"),
                         viewer="LA-POL", correlation_limit=100)
    monkeypatch.undo()
    whole = [name for name, ids in reads if name in WHOLE and PHONE in ids]
    pairs = sum(len(ids) for name, ids in reads if name == "ingest/identifier_holders_among")
    # the breaker's first count and the recount at close read the hub whole; each later count, the
    # pairs the load changed (the phone and per-la-x: one a pair), never its 200 holders; and the
    # DELs look for placeholders among the ends of the link before they read the links on them
    assert (whole, pairs) == (["ingest/identifier_holder_sets", "ingest/identifier_holders"], PAIRS - 1)
    assert (out.relationships_created, out.quarantined) == (PAIRS, 0)  # each pair made it anew, as before
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                                "agencies": ["LA-POL"]})
    assert (row["holders"], row["marks"], row["audience"][0]["holders"]) == (1, ["KH-NP"], 1)


async def test_a_loads_del_between_two_counts_of_an_identifier_is_counted(empty_store):
    # 4 holders; the load links a 5th (counted: 5, the limit), deletes the 1st, then links a 6th:
    # 5 holders, not past the limit (a tally that missed the DEL counted 6 and flagged the phone)
    await load_holders(empty_store, [f"per-th-{i}" for i in range(4)], "th", "TH-DSI", "GREEN")
    o = [Origin("th", "th2.csv", n) for n in range(2, 5)]

    def link(n: int, origin: Origin, op: str = "merge") -> EdgeRecord:
        return EdgeRecord("USES_PHONE", f"uses-per-th-{n}", f"per-th-{n}", PHONE, {}, origin, op=op)

    out = await run_load(empty_store, Records(
        NodeRecord("Person", "per-th-4", {"name": "4"}, o[0]), link(4, o[0]), link(0, o[1], op="delete"),
        NodeRecord("Person", "per-th-5", {"name": "5"}, o[2]), link(5, o[2])),
        source="th", provenance=Provenance(owner="TH-DSI", tlp="GREEN"), viewer="TH-DSI", correlation_limit=LIMIT)
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                                "agencies": []})
    assert (out.relationships_created, out.quarantined, row["holders"], row["quarantined"]) == (2, 0, 5, False)
