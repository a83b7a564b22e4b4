"""The circuit breaker checks a relationship re-owned to a wider statement, as it checks a holder
re-owned (attack round a-82, 1): KH-NP's AMBER link per-h -> phone (shared with LA-POL) is stated
by LA-POL at GREEN too; KH-NP's DEL or replace withdrawing its statement re-owns the link to
LA-POL's GREEN one, and TH-DSI, at the limit with its RED holders, sees a sixth."""

from __future__ import annotations

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord
from tests.ingest.test_breaker_checks_widenings import (
    LIMIT,
    PHONE,
    _kh_np_replace_stating_p2_alone,
    _load,
    _o,
    _scene,
    _th_dsi,
)

pytestmark = pytest.mark.backends


def _link(source: str, line: int, op: str = "merge") -> EdgeRecord:
    return EdgeRecord("USES_PHONE", "uses-x", "per-h", PHONE, {}, _o(source, line), op=op)


async def _link_of_kh_np_stated_by_la_pol_at_green(store) -> None:
    await _scene(store, LIMIT)
    await _load(store, "KH-NP", "AMBER", "kh", _link("kh", 1), shared=["LA-POL"])
    await _load(store, "LA-POL", "GREEN", "la", _link("la", 1))


async def _link_owner(store) -> tuple[str, str]:
    [r] = await store.read("ingest/existing_relationships", {"ids": ["uses-x"]}, type="USES_PHONE")
    return r["props"]["owner"], r["props"]["tlp"]


async def test_a_del_re_owning_a_link_to_a_wider_statement_marks_the_identifier_for_a_view_past_the_limit(
        empty_store):
    await _link_of_kh_np_stated_by_la_pol_at_green(empty_store)
    assert await _th_dsi(empty_store) == (LIMIT, False)
    await _load(empty_store, "KH-NP", "AMBER", "kh", _link("kh", 2, "delete"), shared=["LA-POL"])
    assert (await _link_owner(empty_store), await _th_dsi(empty_store)) == (("LA-POL", "GREEN"), (LIMIT + 1, True))


async def test_a_replace_re_owning_a_link_to_a_wider_statement_marks_the_identifier_for_a_view_past_the_limit(
        empty_store):
    await _link_of_kh_np_stated_by_la_pol_at_green(empty_store)
    await _kh_np_replace_stating_p2_alone(empty_store)
    assert (await _link_owner(empty_store), await _th_dsi(empty_store)) == (("LA-POL", "GREEN"), (LIMIT + 1, True))


async def test_an_ftm_del_re_owning_a_person_and_its_phone_link_to_a_wider_line_marks_the_identifier(
        empty_store, tmp_path):
    # KH-NP's AMBER line p-1 {phone} (shared with LA-POL), LA-POL's GREEN line of the same entity:
    # KH-NP's DEL re-owns the person and its link to LA-POL's GREEN statements
    phone = "+66811111111"
    await _scene(empty_store, LIMIT)

    async def ftm(agency: str, tlp: str, doc: dict, shared=()) -> None:
        f = tmp_path / f"{agency}-{len(list(tmp_path.iterdir()))}.ftm.json"
        f.write_text(json.dumps(doc) + "\n", encoding="utf-8")
        source = agency.lower()
        await run_load(empty_store, FtmReader([f], source=source), source=source, viewer=agency,
                       correlation_limit=LIMIT, provenance=Provenance(agency, tlp, tuple(shared)))
    person = {"id": "p-1", "schema": "Person", "properties": {"name": ["Pat One"], "phone": [phone]}}
    await ftm("KH-NP", "AMBER", person, ["LA-POL"])
    await ftm("LA-POL", "GREEN", person)
    assert await _th_dsi(empty_store) == (LIMIT, False)
    await ftm("KH-NP", "AMBER", {"op": "DEL", "entity": person}, ["LA-POL"])
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


async def test_a_del_re_owning_a_link_reads_its_ends_once_for_the_note_and_the_count(empty_store, monkeypatch):
    # the retraction's own reads of the link (relevel, values rebuild, echo hand-over, ends held):
    # the hand-over's gives the ends the breaker's note and count use; each read them again
    # (pending_widenings.widened_identifiers, CorrelationChecks._link_ends: 6 reads)
    await _link_of_kh_np_stated_by_la_pol_at_green(empty_store)
    reads, read = [0], empty_store.read

    async def counting(name, params=None, *a, **k):
        if name == "ingest/existing_relationships" and "uses-x" in (params or {}).get("ids", ()):
            reads[0] += 1
        return await read(name, params, *a, **k)
    monkeypatch.setattr(empty_store, "read", counting)
    await _load(empty_store, "KH-NP", "AMBER", "kh", _link("kh", 2, "delete"), shared=["LA-POL"])
    monkeypatch.undo()
    assert (reads[0], await _th_dsi(empty_store)) == (4, (LIMIT + 1, True))
