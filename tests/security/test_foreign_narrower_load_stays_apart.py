"""Another agency's record meant for fewer agencies than see an item it may see is kept as its own
statement, at its own level, and merged into nothing a wider reader sees (issue 12: "a value whose
only assertion the reader may not see, another agency's AMBER statement on a shared GREEN node, is
not shown to that reader"; new-user trial 8: such a record was refused as "would disclose").

TH-DSI holds a GREEN person; VN-MPS's AMBER load adds an alias and a later lastSeen. VN-MPS reads
the alias in ``values``; TH-DSI (the owner) and KH-NP (a third agency) meet it nowhere: not in the
fields, ``values``, ``sources``, ``lastSeen``, a search for it or its count. The same for a
relationship: VN-MPS's AMBER record of TH-DSI's GREEN association gives it a kind only VN-MPS reads.
"""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_GREEN = Provenance(owner="TH-DSI", tlp="GREEN", seen="2026-01-01T00:00:00Z")
VN_AMBER = Provenance(owner="VN-MPS", tlp="AMBER", seen="2026-03-01T00:00:00Z")
ALIAS = "Kraisorn Phetcharat"
ASSOCIATION = load_model().relationship_id("ASSOCIATE_OF", "per-somchai", "per-lek")
QUERY = """query ($text: String!) {
  entities(ids: ["per-somchai"]) {
    ... on Person { name alias lastSeen }
    sources
    values(property: "alias") { value sources { source owner tlp } }
    relationships(types: [ASSOCIATE_OF]) { totalCount edges { relationship {
      ... on AssociateOfRelationship { relationship }
      values(property: "relationship") { value sources { source owner } } } } }
  }
  search(text: $text) { totalCount edges { node { id } } }
}"""


def _principal(agency: str) -> Principal:
    return Principal(f"analyst-{agency.lower()}", agency=agency, roles=frozenset({"analyst"}))


class One:
    """A reader of the given records, one row each."""

    def __init__(self, *records) -> None:
        from graphapi.ingest.readers.base import ReadStats
        self._records, self.stats = records, ReadStats(rows=len(records))

    def records(self):
        yield from self._records


async def _th_green_then_vn_amber(store):
    await write_records(store, [NodeRecord("Person", "per-somchai", {"name": "Somchai Jaidee"}),
                                NodeRecord("Person", "per-lek", {"name": "Lek Jaidee"}),
                                EdgeRecord("ASSOCIATE_OF", ASSOCIATION, "per-somchai", "per-lek", {})],
                        provenance=TH_GREEN, source="th-feed")
    vn = One(NodeRecord("Person", "per-somchai", {"name": "Somchai Jaidee", "alias": [ALIAS]},
                        Origin("vn-feed", "vn.json", 1)),
             EdgeRecord("ASSOCIATE_OF", ASSOCIATION, "per-somchai", "per-lek", {"relationship": "informant handler"},
                        Origin("vn-feed", "vn.json", 2)))
    return await run_load(store, vn, source="vn-feed", provenance=VN_AMBER, viewer="VN-MPS")


async def _read(store, agency: str) -> dict:
    result = await graphql_schema.execute(QUERY, variable_values={"text": ALIAS},
                                          context_value=Context(store, _principal(agency), "apart"))
    assert result.errors is None, result.errors
    return result.data


async def test_another_agencys_narrower_record_on_an_item_it_sees_is_kept_not_refused(backend_empty_store):
    summary = await _th_green_then_vn_amber(backend_empty_store)
    assert (summary.rejections, summary.restricted, summary.hits) == ([], 0, [])
    assert (summary.nodes_updated, summary.relationships_updated, summary.statements_written) == (0, 0, 2)


async def test_the_recording_agency_reads_its_narrower_values(backend_empty_store):
    await _th_green_then_vn_amber(backend_empty_store)
    data = await _read(backend_empty_store, "VN-MPS")
    [entity] = data["entities"]
    [edge] = entity["relationships"]["edges"]
    assert entity["values"] == [{"value": ALIAS, "sources": [{"source": "vn-feed", "owner": "VN-MPS", "tlp": "AMBER"}]}]
    assert entity["sources"] == ["th-feed", "vn-feed"]
    assert edge["relationship"]["values"] == [
        {"value": "informant handler", "sources": [{"source": "vn-feed", "owner": "VN-MPS"}]}]


@pytest.mark.parametrize("agency", ["TH-DSI", "KH-NP"])
async def test_the_owner_and_a_third_agency_meet_the_narrower_values_nowhere(backend_empty_store, agency):
    await _th_green_then_vn_amber(backend_empty_store)
    data = await _read(backend_empty_store, agency)
    [entity] = data["entities"]
    [edge] = entity["relationships"]["edges"]
    assert (entity["name"], entity["alias"], entity["lastSeen"]) == ("Somchai Jaidee", [], "2026-01-01T00:00:00Z")
    assert (entity["values"], entity["sources"]) == ([], ["th-feed"])
    assert (entity["relationships"]["totalCount"], edge["relationship"]["relationship"],
            edge["relationship"]["values"]) == (1, None, [])
    assert data["search"] == {"totalCount": 0, "edges": []}


async def test_a_narrower_record_that_would_refine_another_agencys_label_is_still_refused(backend_empty_store):
    # a label is no statement's: every reader of the node would see it a Company
    await write_records(backend_empty_store, [NodeRecord("Organization", "org-front", {"name": "Front Ltd"})],
                        provenance=TH_GREEN, source="th-feed")
    refine = NodeRecord("Company", "org-front", {"name": "Front Ltd", "registrationNumber": "0105561"},
                        Origin("vn-feed", "vn.json", 1))
    summary = await run_load(backend_empty_store, One(refine), source="vn-feed", provenance=VN_AMBER,
                             viewer="VN-MPS")
    assert [r.reason for r in summary.rejections] == [
        "would disclose: your record is AMBER but org-front is GREEN, held by TH-DSI, and would become a Company "
        "for agencies your record is not meant for; not merged (load it at a level they may see, or ask its owner)"]
    assert (summary.restricted, summary.hits) == (1, [("org-front", "TH-DSI")])
