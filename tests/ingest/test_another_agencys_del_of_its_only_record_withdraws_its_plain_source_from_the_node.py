"""Another agency's DEL of its only record on a node it does not own withdraws its plain source
from the node's ``sources`` once no statement names it (``ingest/retract_nodes``). Before (attack
round a-112, 4) a plain source was withdrawn from the DEL's owner's nodes only (another owner may
use the name): VN-MPS's ``vn`` stayed on KH-NP's k-1 after VN-MPS's DEL, read by k-1's readers as
a source written before the statement model. Where another statement still names it, it stays."""
import pytest

from graphapi.ingest.records import NodeRecord
from tests.ingest.test_breaker_checks_widenings import _load, _o

pytestmark = pytest.mark.backends


async def _sources_after_vn_del(store, kh_source: str) -> list[str]:
    await _load(store, "KH-NP", "AMBER", kh_source, NodeRecord("Person", "k-1", {"name": "k one"},
                                                               _o(kh_source, 1)), shared=["VN-MPS"])
    for op in ("", "delete"):
        await _load(store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "k-1", {} if op else {"nationality": ["VN"]},
                                                               _o("vn", 1), **({"op": op} if op else {})),
                    shared=["KH-NP"])
    [row] = await store.read("ingest/existing_nodes", {"ids": ["k-1"]})
    return row["props"].get("sources")


async def test_another_agencys_del_of_its_only_record_withdraws_its_source_name(empty_store):
    assert await _sources_after_vn_del(empty_store, "feed") == ["feed"]


async def test_another_agencys_del_keeps_the_name_where_the_owners_statement_names_it(empty_store):
    assert await _sources_after_vn_del(empty_store, "vn") == ["vn"]


async def test_a_statement_kept_apart_under_the_name_does_not_keep_it(empty_store):
    """TH-DSI's RED record under its own plain ``vn`` on KH-NP's k-1 (kept apart: neither KH-NP nor
    VN-MPS may see it) kept ``vn`` in k-1's ``sources`` at VN-MPS's DEL, counted as naming it:
    the node's stored sources then told of the hidden record (attack round a-114, 1)."""
    await _load(empty_store, "KH-NP", "AMBER", "feed", NodeRecord("Person", "k-1", {"name": "k one"}, _o("feed", 1)),
                shared=["VN-MPS", "TH-DSI"])
    await _load(empty_store, "TH-DSI", "RED", "vn", NodeRecord("Person", "k-1", {"nationality": ["TH"]}, _o("vn", 7)))
    await _load(empty_store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "k-1", {"nationality": ["VN"]},
                                                                 _o("vn", 1)), shared=["KH-NP", "TH-DSI"])
    vn = [r["id"] for r in await empty_store.read("provenance/statements_of", {"ids": ["k-1"]})
          if r["props"]["owner"] == "VN-MPS"]
    await empty_store.write("provenance/delete_statements", {"ids": vn})  # (the DEL's first step)
    withdrawn = await empty_store.write("ingest/retract_nodes", {"ids": ["k-1"], "source": "vn", "owner": "VN-MPS",
                                                                 "scoped": False, "reowned": None})
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": ["k-1"]})
    assert (withdrawn, row["props"].get("sources")) == ([{"id": "k-1"}], ["feed"])

