"""A share naming an id its agency may not see runs the same statements, and reads the same rows,
whatever that id is in the store: the breaker's widening note (graphapi.ingest.pending_widenings)
is of the sharer's own items only. Noting every id that was an identifier, and expanding every id
named, told LA-POL by 2 writes whether TH-DSI holds a phone number (ids are deterministic) and, by
its time, how many hidden holders it has (attack round a-89, 3 and 4). Counted, never timed."""

from __future__ import annotations

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.security.principal import Principal
from graphapi.security.share import share
from tests.ingest.test_breaker_checks_widenings import _load, _o

pytestmark = pytest.mark.backends

LA = Principal("analyst-la", agency="LA-POL", roles=frozenset({"analyst"}))
HIDDEN_PHONE = "phone:+66855555555"
HIDDEN_PERSON = "per-th-hidden"
CROWDED_PHONE = "phone:+66877777777"


async def _th_dsi_red_phone(store, phone: str, holders: int, source: str) -> None:
    """TH-DSI's RED ``phone`` and ``holders`` RED people holding it: LA-POL sees none of them."""
    number = phone.removeprefix("phone:")
    await _load(store, "TH-DSI", "RED", source, NodeRecord("Phone", phone, {"number": number}, _o(source, 1)),
                *(r for i in range(holders) for r in (
                    NodeRecord("Person", f"per-{source}-{i}", {"name": f"{source} {i}"}, _o(source, i + 2)),
                    EdgeRecord("USES_PHONE", f"uses-{source}-{i}", f"per-{source}-{i}", phone, {},
                               _o(source, i + 2)))))


async def _scene(store) -> None:
    await _th_dsi_red_phone(store, HIDDEN_PHONE, 1, "th")
    await _load(store, "LA-POL", "GREEN", "la", NodeRecord("Person", "per-la", {"name": "la"}, _o("la", 1)))


def _statements(store, monkeypatch) -> list[tuple[str, int]]:
    """The ``(statement, rows answered)`` of every read and write the store runs from now on."""
    ran: list[tuple[str, int]] = []
    read, write = store.read, store.write

    async def counted_read(name, *a, **k):
        rows = await read(name, *a, **k)
        ran.append((name, len(rows)))
        return rows

    async def counted_write(name, *a, **k):
        rows = await write(name, *a, **k)
        ran.append((name, len(rows or [])))
        return rows
    monkeypatch.setattr(store, "read", counted_read)
    monkeypatch.setattr(store, "write", counted_write)
    return ran


async def _shared_naming(store, monkeypatch, guess: str) -> tuple[list[str], list[tuple[str, int]]]:
    with monkeypatch.context() as m:
        ran = _statements(store, m)
        res = await share(store, LA, ["per-la", guess], ["VN-MPS"], "AMBER")
    return res.refused, ran


@pytest.mark.parametrize(("hidden", "unheld"), [(HIDDEN_PHONE, "phone:+66866666666"),
                                                ("per-th-0", "per-nobody")], ids=["phone", "holder"])
async def test_a_share_naming_a_hidden_id_runs_the_same_statements_as_one_naming_an_unheld_id(
        empty_store, monkeypatch, hidden, unheld):
    await _scene(empty_store)
    refused_unheld, unheld_ran = await _shared_naming(empty_store, monkeypatch, unheld)
    refused_hidden, hidden_ran = await _shared_naming(empty_store, monkeypatch, hidden)
    assert (refused_unheld, refused_hidden) == ([unheld], [hidden])
    assert "security/share_nodes" in [name for name, _ in hidden_ran]
    assert hidden_ran == unheld_ran


async def test_a_share_naming_a_hidden_phone_reads_the_same_rows_whatever_its_hidden_holders(
        empty_store, monkeypatch):
    await _scene(empty_store)
    await _th_dsi_red_phone(empty_store, CROWDED_PHONE, 30, "thb")
    refused_one, one_ran = await _shared_naming(empty_store, monkeypatch, HIDDEN_PHONE)
    refused_many, many_ran = await _shared_naming(empty_store, monkeypatch, CROWDED_PHONE)
    assert (refused_one, refused_many) == ([HIDDEN_PHONE], [CROWDED_PHONE])
    assert "ingest/linked_identifiers" in [name for name, _ in many_ran]  # from per-la, its own
    assert many_ran == one_ran
