"""The README's walkthrough on the demo's sample call records: its example phone, run exactly as
the README writes it, reads in clear for the demo principal (no victim-data), with its calls;
the phones the sample case records name (victims') stay protected."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from graphapi.ingest.fixture import load_fixture
from graphapi.ingest.service import load_demo_samples
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import DEMO_PRINCIPAL
from graphapi.security.hits import hourly_budget

pytestmark = pytest.mark.backends

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "seed" / "samples"
CALL_RECORDS_EXAMPLE = "# A phone of the sample call records"


def readme_call_records_query() -> str:
    """The README's "Try it" query that follows the comment on the sample call records."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Try it.*?```graphql\n(.*?)```", text, re.S).group(1)
    after = block[block.index(CALL_RECORDS_EXAMPLE):]
    query = after[after.index("\n{"):].strip()
    return query[:query.index("\n\n")] if "\n\n" in query else query


def victims_phone() -> str:
    """A phone a victim row of the sample case records names, as the loader stores it."""
    with (SAMPLES / "cases.synthetic.csv").open(encoding="utf-8", newline="") as fh:
        return next(f"phone:{r['phone']}" for r in csv.DictReader(fh) if r["role"] == "victim" and
                    r["phone"].startswith("+"))


async def _demo(store, query: str) -> dict:
    result = await build_schema().execute(query, context_value=Context(store, DEMO_PRINCIPAL, "r",
                                                                        lookup_budget=hourly_budget(0)))
    return {"data": result.data, "errors": [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []],
            "extensions": result.extensions or {}}


@pytest.fixture
async def demo_store(backend_empty_store):
    await load_fixture(backend_empty_store)
    await load_demo_samples(backend_empty_store)
    return backend_empty_store


async def test_the_readmes_call_records_phone_reads_in_clear_with_its_calls_for_the_demo_principal(demo_store):
    query = readme_call_records_query()
    (phone,) = re.findall(r'entity\(id: "(phone:\+\d+)"\)', query)
    answer = await _demo(demo_store, query)
    assert answer["errors"] == []
    entity = answer["data"]["entity"]
    assert (entity["caption"], entity["number"]) == (phone.removeprefix("phone:"),) * 2
    calls = entity["relationships"]
    assert calls["totalCount"] >= 5 and len(calls["edges"]) == 5
    assert all(e["relationship"]["at"] and e["relationship"]["durationS"] > 0 for e in calls["edges"])
    times = [e["relationship"]["at"] for e in calls["edges"]]
    assert times == sorted(times)  # oldest first
    assert any(e["node"]["caption"].startswith("+") for e in calls["edges"])  # a partner in clear too


async def test_the_readmes_call_records_phone_is_in_the_sample_call_records():
    (phone,) = re.findall(r'entity\(id: "phone:\+855(\d+)"\)', readme_call_records_query())
    with (SAMPLES / "cdr.synthetic.csv").open(encoding="utf-8", newline="") as fh:
        assert any(f"0{phone}" in (r["caller"], r["callee"]) for r in csv.DictReader(fh))


async def test_a_victims_phone_of_the_sample_cases_stays_protected_from_the_demo_principal(demo_store):
    phone = victims_phone()
    answer = await _demo(demo_store, f'{{ entity(id: "{phone}") {{ caption }} }}')
    assert answer["errors"] == [(f"no entity with id '{phone}'", "NOT_FOUND")]
