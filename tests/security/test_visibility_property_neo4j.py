"""The visibility oracle on Neo4j (tests/security/test_visibility_property.py's properties, run on
the real server): a file of its own, so the two xdist workers share the suite's longest tests."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_visibility_property import (
    NEO4J_EXAMPLES,
    ORACLE_INPUTS,
    _every_service_equals_the_oracle,
    _hidden_data_changes_no_visible_answer,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.mark.neo4j
@settings(max_examples=NEO4J_EXAMPLES["every_service"], deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**ORACLE_INPUTS)
async def test_visibility_every_service_equals_the_oracle_on_neo4j(neo4j_store, graph, choices, types_filter):
    await _every_service_equals_the_oracle(neo4j_store, graph, choices, types_filter)


@pytest.mark.neo4j
@settings(max_examples=NEO4J_EXAMPLES["hidden_data"], deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_visibility_hidden_data_changes_no_visible_answer_on_neo4j(neo4j_store, data):
    await _hidden_data_changes_no_visible_answer(neo4j_store, data)
