"""A ``vid:`` token is how readers without ``victim-data`` see a victim's id, never an id a loader
may write: a node stored under the victim's public token showed, to those readers, the very id
the victim shows (``lintasId``, caption, Relay id), so a link chart joined another agency's
invented "associate" to the victim, and the token typed back reached the real victim, not it."""

import pytest

from graphapi.ingest.record_tap import _canonical_ids
from graphapi.ingest.records import EdgeRecord, Origin, Rejection
from graphapi.ingest.service import build_records
from graphapi.ontology import load_model
from graphapi.ontology.ids import InvalidId, canonical_id_or_none, is_canonical_id
from graphapi.security.victim_ids import victim_ids


def test_an_ingest_record_whose_id_is_a_victims_token_is_rejected():
    token = victim_ids().opaque("per-nguyen-van-an")
    items, _ = build_records([
        {"kind": "node", "label": "Person", "id": token, "properties": {"name": "Spoof"}},
        {"type": "ASSOCIATE_OF", "from": "kh-p1", "to": token},
    ], "graphql:KH-NP")
    assert [type(i).__name__ for i in items] == ["Rejection", "Rejection"]
    assert all("reserved for the opaque ids of victims" in i.reason for i in items)


def test_no_id_starting_with_vid_in_any_case_is_canonical():
    token = victim_ids().opaque("per-nguyen-van-an")
    assert [canonical_id_or_none(v) for v in (token, " " + token, "VID:x", "Vid:é")] == [None] * 4
    assert not is_canonical_id(token) and canonical_id_or_none("per-vid:x") == "per-vid:x"


def test_a_loader_building_a_node_id_from_a_token_gets_the_reason():
    token = victim_ids().opaque("per-nguyen-van-an")
    with pytest.raises(InvalidId, match="reserved for the opaque ids of victims"):
        load_model().node_id("Person", {"id": token})


def test_the_pipeline_rejects_an_ftm_reference_to_a_victims_token():
    token = victim_ids().opaque("per-nguyen-van-an")
    edge = EdgeRecord("ASSOCIATE_OF", "associate_of:x", "kh-p1", token, {}, Origin("ftm@KH-NP", "f.json", 7))
    rejected = _canonical_ids(edge)
    assert isinstance(rejected, Rejection) and rejected.line == 7
    assert rejected.reason.startswith("ASSOCIATE_OF to starts with 'vid:', reserved for the opaque ids of victims")
