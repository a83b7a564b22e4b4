"""``share`` / ``unshare`` results for a caller without ``victim-data``: a victim is shared by its
token and reads as its token, a relationship touching it as its token (a relationship id hashes
its ends' ids, so a clear one is checkable against a guess), and a victim's id typed in clear is
refused exactly like an unknown id (graphapi/schema/security_mutations.py)."""

import json

import pytest

from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.victim_ids import victim_ids

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_VICTIMS = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
VICTIM = "per-nguyen-van-an"
SCHEMA = build_schema()
HELD_AT = load_model().relationship_id("HELD_AT", VICTIM, "cmp-lucky-dragon")


class _Context(Context):
    def __init__(self, store, principal, audit):
        super().__init__(store, principal, "r")
        self.audit = audit


async def _run(store, principal, tmp_path, operation, ids):
    query = (f'mutation ($ids: [String!]!) {{ {operation}(ids: $ids, agencies: ["VN-MPS"]) '
             "{ nodes relationships refused ineffective } }")
    audit = AuditLog(tmp_path / f"audit-{operation}-{ids[0][:8]}.jsonl")
    result = await SCHEMA.execute(query, variable_values={"ids": ids},
                                  context_value=_Context(store, principal, audit))
    assert result.errors is None, result.errors
    return result.data[operation], [e["arguments"] for e in audit.entries() if e["kind"] == "share"]


@pytest.mark.parametrize("operation", ["share", "unshare"])
async def test_sharing_a_victim_by_token_shows_tokens_for_the_victim_and_its_relationships(
        backend_store, tmp_path, operation):
    token = victim_ids().opaque(VICTIM)
    if operation == "unshare":  # shared first: an unshare takes back links only from nodes shared (round 21, C5)
        await _run(backend_store, TH, tmp_path, "share", [token, "cmp-lucky-dragon"])
    result, _ = await _run(backend_store, TH, tmp_path, operation, [token, "cmp-lucky-dragon"])
    assert result["nodes"] == sorted([token, "cmp-lucky-dragon"]) and result["refused"] == []
    assert result["relationships"] == [victim_ids().opaque(HELD_AT)]
    assert VICTIM not in json.dumps(result) and HELD_AT not in json.dumps(result)


async def test_victim_data_holders_see_the_real_ids_in_share_results(backend_store, tmp_path):
    result, _ = await _run(backend_store, TH_VICTIMS, tmp_path, "share", [VICTIM, "cmp-lucky-dragon"])
    assert result["nodes"] == sorted([VICTIM, "cmp-lucky-dragon"]) and result["relationships"] == [HELD_AT]


@pytest.mark.parametrize("operation", ["share", "unshare"])
async def test_a_victims_id_typed_in_clear_is_refused_like_an_unknown_id(backend_store, tmp_path, operation):
    victim, victim_audit = await _run(backend_store, TH, tmp_path, operation, [VICTIM, "cmp-lucky-dragon"])
    nobody, nobody_audit = await _run(backend_store, TH, tmp_path, operation, ["per-nobody", "cmp-lucky-dragon"])
    assert victim == {"nodes": ["cmp-lucky-dragon"], "relationships": [], "refused": [VICTIM], "ineffective": []}
    assert json.dumps(victim_audit).replace(VICTIM, "per-nobody") == json.dumps(nobody_audit)
    assert nobody["refused"] == ["per-nobody"]
