"""A share keeps the level its ``tlp`` named (docs/security.md, share; graphapi/security/kept_shares.py):
a share at RED or AMBER+STRICT of an item AMBER or wider was kept as '<agency>|AMBER', so the
owner's later RED record left the item AMBER to that agency, which read it though the owner had
named RED in its share and in its record (attack round 43b, 3)."""

import pytest
from grant_setups import KH, PHONE, VN_SUP

from graphapi.ingest import NodeRecord, Provenance, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security.share import share

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _vn_says_phone(store, tlp: str, op: str = "merge") -> None:
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"}, op=op)],
                        provenance=Provenance(owner="VN-MPS", tlp=tlp), source="graphql:VN-MPS")


async def _phone(store) -> tuple[str, list[str], bool]:
    [node] = await store.read("ingest/existing_nodes", {"ids": [PHONE]})
    return node["props"]["tlp"], node["props"].get("shares"), PHONE in await get_nodes(store, KH, [PHONE])


@pytest.mark.parametrize("level", ["RED", "AMBER+STRICT"])
async def test_a_share_at_a_level_stricter_than_amber_is_kept_at_that_level(empty_store, level):
    await _vn_says_phone(empty_store, "GREEN")
    await share(empty_store, VN_SUP, [PHONE], ["KH-NPA"], tlp=level)
    assert await _phone(empty_store) == ("GREEN", [f"KH-NPA|{level}"], True)  # GREEN: every agency reads it


@pytest.mark.parametrize("level", ["RED", "AMBER+STRICT"])
async def test_the_owners_red_record_after_a_share_at_red_closes_the_item_to_the_agency(empty_store, level):
    await _vn_says_phone(empty_store, "GREEN")
    await share(empty_store, VN_SUP, [PHONE], ["KH-NPA"], tlp=level)
    await _vn_says_phone(empty_store, "RED", "replace")  # a MOD of the same record
    assert await _phone(empty_store) == (level, [f"KH-NPA|{level}"], False)
