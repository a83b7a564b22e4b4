"""A ``vid:`` token is how readers without ``victim-data`` see a victim's id, never an id a loader
may write: a node stored under the victim's public token showed, to those readers, the very id
the victim shows (``lintasId``, caption, Relay id), so a link chart joined another agency's
invented "associate" to the victim, and the token typed back reached the real victim, not it."""

import pytest

from graphapi.ingest.service import build_records
from graphapi.security.victim_ids import victim_ids


@pytest.mark.xfail(strict=True, reason="attack10 F6: ingest (and every loader, ids.canonical_id) stores "
                                       "a node whose id is a victim's vid: token")
def test_an_ingest_record_whose_id_is_a_victims_token_is_rejected():
    token = victim_ids().opaque("per-nguyen-van-an")
    items, _ = build_records([
        {"kind": "node", "label": "Person", "id": token, "properties": {"name": "Spoof"}},
        {"type": "ASSOCIATE_OF", "from": "kh-p1", "to": token},
    ], "graphql:KH-NP")
    assert [type(i).__name__ for i in items] == ["Rejection", "Rejection"]
