"""The GraphQL schema is built once per set of limits (graphapi.schema.limits.Limits): apps whose
settings agree on every limit share it, and a limit set apart gets its own, refusing by it."""

import pytest

from graphapi.schema.limits import Limits
from graphapi.schema.schema import build_schema
from graphapi.settings import Settings

#: A value other than the default for each limit.
OTHER = {"max_depth": 2, "max_aliases": 1, "env": "development", "max_fragments": 1, "max_fragment_spreads": 1,
         "max_tokens": 40, "max_cost": 10, "max_traversals": 1}


def test_apps_whose_settings_differ_outside_the_limits_share_one_schema(tmp_path):
    one = Settings(data_dir=tmp_path / "a", batch_size=5)
    other = Settings(data_dir=tmp_path / "b", batch_size=500)
    assert build_schema(one) is build_schema(other)


def test_every_limit_is_named_with_another_value():
    assert sorted(OTHER) == sorted(Limits._fields)


@pytest.mark.parametrize("limit", sorted(OTHER))
def test_a_limit_set_apart_gets_a_schema_of_its_own(limit):
    assert build_schema(Settings(**{limit: OTHER[limit]})) is not build_schema(Settings())


async def test_the_shared_schema_refuses_by_its_own_limits():
    aliased = "{ a: __typename b: __typename }"
    strict = build_schema(Settings(max_aliases=1))
    refused, answered = await strict.execute(aliased), await build_schema(Settings()).execute(aliased)
    assert [e.message for e in refused.errors] == ["2 aliases found. Allowed: 1"]
    assert (answered.errors, answered.data) == (None, {"a": "Query", "b": "Query"})
    assert build_schema(Settings(max_aliases=1)) is strict
