"""A writer tells what its records said, in its turn of the write lease, to the hook it was given
(graphapi/ingest/write_turns.py): by default the access requests of the settings."""

import pytest

from graphapi.ingest import NodeRecord, Provenance
from graphapi.ingest.write_turns import tell_access_requests
from graphapi.ingest.writer import Writer

pytestmark = [pytest.mark.backends]


async def test_a_writer_tells_its_said_hook_what_the_owners_record_said_(empty_store):
    told = []

    async def hook(store, rows) -> bool:
        told.append(list(rows))
        return False

    writer = Writer(empty_store, provenance=Provenance(owner="VN-MPS", tlp="RED", shared_with=("TH-DSI",)),
                    source="graphql:VN-MPS", said_hook=hook)
    await writer.add(NodeRecord("Phone", "phone:+84987654321", {"number": "+84987654321"}))
    await writer.close()
    rows = {(owner, item, level, tuple(agencies)) for said in told for owner, item, level, agencies in said}
    assert rows == {("VN-MPS", "phone:+84987654321", "RED", ("TH-DSI",))}


def test_a_writer_tells_the_access_requests_of_the_settings_by_default(empty_store):
    assert Writer(empty_store).said_hook is tell_access_requests
