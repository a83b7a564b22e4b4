"""``ingest(records)`` answers a record that names another agency's hidden node as a hit
("restricted: ... held by ..."), so its hits take units of the ``restrictedLookup`` budget, as
looking those ids up would; past it the call is RATE_LIMITED and writes nothing (attack round 5,
F4: one call of 2,002 phone records told VN-MPS which of them KH-NP held, past the lookup budget
of 300 an hour). New records cost nothing."""

import pytest

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.hits import hourly_budget

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

VN_LOADER = Principal("feed-vn", agency="VN-MPS", roles=frozenset({"loader"}))
KH_PHONES = [f"+8551000000{i}" for i in range(3)]
INGEST = "mutation ($records: [JSON!]!) { ingest(records: $records, tlp: RED) { accepted rejected { index reason } } }"


def _phones(numbers: list[str]) -> list[dict]:
    return [{"kind": "node", "label": "Phone", "properties": {"number": n}} for n in numbers]


@pytest.fixture
async def kh_phones(empty_store):
    await write_records(empty_store, [NodeRecord("Phone", f"phone:{n}", {"number": n}) for n in KH_PHONES],
                        provenance=Provenance(owner="KH-NP", tlp="RED"), source="kh")
    return empty_store


async def _ingest(store, budget, numbers):
    context = Context(store, VN_LOADER, "req")
    context.lookup_budget = budget
    return await graphql_schema.execute(INGEST, variable_values={"records": _phones(numbers)}, context_value=context)


async def test_ingest_hits_past_the_lookup_budget_are_rate_limited_and_write_nothing(kh_phones):
    fresh = ["+85510009999"]
    result = await _ingest(kh_phones, hourly_budget(2, name="ingest-test"), KH_PHONES + fresh)
    assert result.errors[0].extensions["code"] == "RATE_LIMITED"
    assert await get_nodes(kh_phones, VN_LOADER, ["phone:+85510009999"]) == {}


async def test_ingest_hits_within_the_budget_are_answered_and_new_records_cost_nothing(kh_phones):
    budget = hourly_budget(3, name="ingest-test-2")
    fresh = [f"+8551000{i:04d}" for i in range(100, 150)]
    first = await _ingest(kh_phones, budget, fresh)
    assert first.errors is None and first.data["ingest"]["accepted"] == 50
    hits = await _ingest(kh_phones, budget, KH_PHONES)
    assert hits.errors is None and [r["reason"].split(" is held")[0] for r in hits.data["ingest"]["rejected"]] == [
        f"restricted: phone:{n}" for n in KH_PHONES]
    again = await _ingest(kh_phones, budget, KH_PHONES[:1])
    assert again.errors[0].extensions["code"] == "RATE_LIMITED"
