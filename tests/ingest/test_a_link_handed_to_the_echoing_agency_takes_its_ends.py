"""A valueless link handed to the echoing agency takes its placeholder ends with it, as a load of
that link leaves them. KH-NP's GREEN m-1 between two ids nobody loaded (placeholders p-1, o-2),
TH-DSI's GREEN echo, KH-NP's MOD at RED (m-1 and its ends narrow to KH-NP's RED), KH-NP's DEL: m-1
is TH-DSI's GREEN link. Before, its ends stayed KH-NP's RED placeholders: TH-DSI and LA-POL read
nothing of it, and KH-NP, which deleted its record, owned both ends (attack round 45c, 2)."""
import pytest
from _load_ftm import load, reads

pytestmark = pytest.mark.backends
BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
ENDS = '{ entities(ids: ["p-1", "o-2"]) { tlp owner } }'
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount } } }'


async def _handed_over(store, tmp_path):
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")
    await load(store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": BARE}], "kh")
    await load(store, tmp_path, "KH-NP", "RED", [{"op": "DEL", "entity": BARE}], "kh")


@pytest.mark.parametrize("agency", ["TH-DSI", "LA-POL"])
async def test_the_echoing_agencys_green_link_is_read_with_its_ends(empty_store, tmp_path, agency):
    await _handed_over(empty_store, tmp_path)
    assert await reads(empty_store, agency, LINKS) == {"entities": [{"relationships": {"totalCount": 1}}]}


@pytest.mark.parametrize("agency", ["TH-DSI", "KH-NP"])
async def test_the_ends_are_the_echoing_agencys_placeholders_not_the_deleting_owners(empty_store, tmp_path, agency):
    await _handed_over(empty_store, tmp_path)
    got = await reads(empty_store, agency, ENDS)
    assert got == {"entities": [{"tlp": "GREEN", "owner": "TH-DSI"}, {"tlp": "GREEN", "owner": "TH-DSI"}]}
