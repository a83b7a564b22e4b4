"""Shared identifiers on the planted phone ring: the ring's ties only; placeholders, quarantined
identifiers and another agency's hidden links tie nobody."""

import pytest

from graphapi.errors import NotFound
from graphapi.investigate.shared_ids import shared_identifiers
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")


def _pairs(found):
    return {(t.a.id, t.b.id): [i.id for i in t.identifiers] for t in found.ties}


async def test_shared_identifiers_find_the_phone_ring(planted_store):
    store, p = planted_store
    ppl, ids = p.people, p.identifiers
    found = await shared_identifiers(store, DEMO_PRINCIPAL, [ppl["R1"]])
    assert _pairs(found) == {
        tuple(sorted((ppl["R1"], ppl["R2"]))): [ids["ring-phone"]],
        tuple(sorted((ppl["R1"], ppl["R3"]))): [ids["ring-phone"]],
    }
    assert found.truncated is False


async def test_shared_identifiers_name_each_tie_and_draw_the_links(planted_store):
    store, p = planted_store
    ppl, ids = p.people, p.identifiers
    found = await shared_identifiers(store, DEMO_PRINCIPAL, [ppl["R3"]])
    assert _pairs(found) == {
        tuple(sorted((ppl["R3"], ppl["R1"]))): [ids["ring-phone"]],
        tuple(sorted((ppl["R3"], ppl["R2"]))): [ids["ring-phone"]],
        tuple(sorted((ppl["R3"], ppl["R4"]))): [ids["ring-device"]],
    }
    assert {e.type for e in found.subgraph.edges} == {"USES_PHONE", "USES_DEVICE"}
    assert len(found.subgraph.edges) == 5


async def test_shared_identifiers_placeholder_phone_ties_nobody(planted_store):
    store, p = planted_store
    found = await shared_identifiers(store, DEMO_PRINCIPAL, ["per-pl-hotline-0"])
    assert found.ties == []
    assert p.identifiers["hotline"] not in {n.id for n in found.subgraph.nodes}


async def test_shared_identifiers_quarantined_phone_ties_nobody(planted_store):
    store, p = planted_store
    found = await shared_identifiers(store, DEMO_PRINCIPAL, [p.people["R-q"]])
    assert found.ties == []


async def test_shared_identifiers_hidden_link_never_ties(planted_store):
    store, p = planted_store
    demo = await shared_identifiers(store, DEMO_PRINCIPAL, [p.people["R-hidden"]])
    owner = await shared_identifiers(store, TH_DSI, [p.people["R-hidden"]])
    assert demo.ties == []
    assert len(owner.ties) == 3
    ring = await shared_identifiers(store, DEMO_PRINCIPAL, [p.people["R1"]])
    assert p.people["R-hidden"] not in {n.id for n in ring.subgraph.nodes}


async def test_shared_identifiers_of_an_unknown_id_are_not_found(planted_store):
    store, p = planted_store
    with pytest.raises(NotFound, match="^no entity with id 'per-nobody'$"):
        await shared_identifiers(store, DEMO_PRINCIPAL, [p.people["R1"], "per-nobody"])


async def test_shared_identifiers_of_a_hidden_id_are_not_found_like_an_unknown_one(planted_store):
    store, p = planted_store
    hidden = p.people["syn-hidden"]  # another agency's RED person
    with pytest.raises(NotFound) as caught:
        await shared_identifiers(store, DEMO_PRINCIPAL, [hidden])
    assert str(caught.value) == f"no entity with id '{hidden}'"
    assert (await shared_identifiers(store, TH_DSI, [hidden])).ties == []  # its owner asks and is answered
