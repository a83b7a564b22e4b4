"""An owner's load of its link says the same, and writes the same, beside another agency's hidden
record of that link: TH-DSI's RED line about KH-NP's wallet W1 (holder per-1: KH-NP's
CONTROLS_WALLET per-1 -> W1) is kept apart, in its own statement, and leaves its echo's level on the
link (``echoLevels``); KH-NP's re-ADD or MOD of its line k-1 dropped that level, so its summary said
the link was written and updated where, without TH-DSI's line, it was unchanged: KH-NP learnt that an
agency it may not read holds a line on that pair, and its load erased TH-DSI's echo (attack round
a-110, 4)."""

import json

import pytest
from _load_ftm import ANNA as ANNA_LEE
from _load_ftm import BARE, ORG, load, person

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
KH = ("KH-NP", "ftm@KH-NP")
AMBER_TH = ("AMBER", ("TH-DSI",))
TH_ECHO = ["RED - TH-DSI ftm@TH-DSI"]
SEEN = "2026-01-01T00:00:00Z"


def wallet(eid: str, *datasets: str) -> dict:
    return {"id": eid, "schema": "CryptoWallet", "datasets": list(datasets),
            "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": ["per-1"]}}


def op(kind: str, entity: dict) -> dict:
    return {"op": kind, "entity": entity}


async def _load(store, tmp_path, name, lines, who=KH, level=("CLEAR", ()), seen=SEEN):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source=who[1]), source=who[1], viewer=who[0],
                          provenance=Provenance(who[0], level[0], level[1], seen))


async def _owners_load(store, tmp_path, hidden, level, delta, seen):
    """KH-NP's summary of ``delta`` about its line k-1 (said at ``level``; ``delta`` seen at
    ``seen``), TH-DSI's RED line ``hidden`` (or none) loaded before it from its own source."""
    await store.clear()
    await _load(store, tmp_path, "a.json", [op("ADD", ANNA)])
    await _load(store, tmp_path, "b.json", [op("ADD", wallet("k-1", "ds1"))], level=level)
    if hidden is not None:
        await _load(store, tmp_path, "h.json", [op("ADD", hidden)], ("TH-DSI", "ftm@TH-DSI"), ("RED", ()))
    summary = await _load(store, tmp_path, "d.json", delta, level=level, seen=seen)
    return {k: v for k, v in summary.as_dict().items() if k not in ("seconds", "rows_per_second", "reject_report")}


async def _link(store) -> dict:
    [snap] = await store.read("admin/snapshot")
    [link] = [r["props"] for r in snap["relationships"] if r["type"] == "CONTROLS_WALLET"]
    return link


LATER = "2026-02-01T00:00:00Z"  # a record seen later moves the link's lastSeen: it is written


@pytest.mark.parametrize(("hidden", "level", "delta", "seen", "links"), [
    (wallet("t-7"), ("CLEAR", ()), [op("ADD", wallet("k-1", "ds1"))], SEEN, (0, 0, 1, 0)),
    (wallet("k-1", "ds1"), AMBER_TH, [op("MOD", wallet("k-1", "ds1"))], SEEN, (0, 0, 1, 0)),
    (wallet("t-7"), AMBER_TH, [op("MOD", wallet("k-1", "ds2"))], LATER, (0, 0, 1, 1)),
], ids=["readd_beside_another_line", "mod_alike_beside_a_line_of_its_id", "later_mod_into_another_dataset"])
async def test_an_owners_load_counts_its_link_alike_beside_another_agencys_hidden_line(
        empty_store, tmp_path, hidden, level, delta, seen, links):
    alone = await _owners_load(empty_store, tmp_path, None, level, delta, seen)
    beside = await _owners_load(empty_store, tmp_path, hidden, level, delta, seen)
    assert (beside["relationships_written"], beside["relationships_updated"],
            beside["relationships_unchanged"], beside["relationships_seen"]) == links
    assert beside == alone


async def test_an_owners_rewrite_of_its_link_keeps_another_agencys_echo_level(empty_store, tmp_path):
    await _owners_load(empty_store, tmp_path, wallet("t-7"), AMBER_TH, [op("MOD", wallet("k-1", "ds2"))], LATER)
    link = await _link(empty_store)
    assert (link["owner"], link["lastSeen"], link.get("echoLevels")) == ("KH-NP", LATER, TH_ECHO)


async def test_an_owners_readd_of_a_valueless_link_counts_it_alike_beside_another_agencys_hidden_record(
        empty_store, tmp_path):
    """The same for a link holding no value (KH-NP's GREEN Membership m-1, no statement): TH-DSI's
    RED record of it, kept apart, left its level alone on it."""
    said = []
    for hidden in (False, True):
        await empty_store.clear()
        await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA_LEE), ORG], "kh-n")
        await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
        if hidden:
            await load(empty_store, tmp_path, "TH-DSI", "RED", [BARE], "th")
        summary = await load(empty_store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
        said.append((summary.relationships_written, summary.relationships_updated, summary.relationships_unchanged))
    assert said == [(0, 0, 1), (0, 0, 1)]
