"""The writer cleans a node record's names as the name type does, whatever the reader (attack
round 23, C3: FtM's own cleaning kept a bidi override and a zero-width space), and leaves its
other properties as the record gives them."""

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

GREEN = Provenance(owner="TH-DSI", tlp="GREEN")
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


async def test_a_records_names_are_stored_cleaned_and_its_other_text_as_given(backend_empty_store):
    place = "Mae\u200bSot\u2028ward"  # a birthPlace is text, not a name: kept as given
    record = NodeRecord("Person", "p-1", {"name": "Som\u200bchai\u202e  Jaidee\u2029",
                                          "alias": ["Chai\u0007Jai", "\u200b", "Chai Jai"], "birthPlace": [place]})
    await write_records(backend_empty_store, [record], provenance=GREEN, source="ftm")
    [stored] = (await get_nodes(backend_empty_store, TH, ["p-1"])).values()
    props = stored.properties
    assert (props["name"], props["alias"], props["birthPlace"]) == ("Somchai Jaidee", ["Chai Jai"], [place])
