"""The store's start adopts the values a node holds that no statement gives (written before the
statement model) once per graph, then bears the mark, and a later start reads no window of the
graph (:mod:`graphapi.ingest.premodel_adoption`; the rule itself:
tests/ingest/test_values_written_before_the_statement_model_are_adopted_at_store_start.py). Its
mark is an index: dropping it makes Neo4j drop its cached plans."""

from __future__ import annotations

import pytest

from tests.ingest.store_calls import record_store_calls
from tests.ingest.test_values_written_before_the_statement_model_are_adopted_at_store_start import (
    _premodel_k1,
    _said,
)
from tests.store.test_search_audience_repair import _raw_write

pytestmark = [pytest.mark.backends, pytest.mark.drops_neo4j_plans]


async def _unmark(store) -> None:
    """The session store as a graph of before the adoption: its mark dropped."""
    await _raw_write(store, "DROP INDEX FOR (m:PremodelAdoption) ON (m.valuesStatedByOwner)"
                     if store.dialect == "falkordb" else "DROP INDEX premodel_values_adopted")


async def test_a_start_on_an_unmarked_graph_adopts_its_values_and_a_later_start_reads_nothing(empty_store,
                                                                                             monkeypatch):
    # 2-4 s: three starts (init_schema waits for Neo4j's indexes), the cost of testing the start itself
    await _premodel_k1(empty_store)
    await _unmark(empty_store)
    try:
        await empty_store.init_schema()
        first = await _said(empty_store)
        await empty_store.write("provenance/delete_statements_about", {"ids": ["k-1"]})  # unstated again
        calls = record_store_calls(empty_store, monkeypatch)
        await empty_store.init_schema()
    finally:
        monkeypatch.undo()
        await empty_store.init_schema()  # the session store left marked, as its start left it
    assert first == {("KH-NP", "old"): [("birthPlace", "Hue"), ("name", "k one")]}
    assert "schema/premodel_values_window" not in calls.read_names
    assert await _said(empty_store) == {}
