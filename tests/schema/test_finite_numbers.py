"""A number literal past the double range (``1e400`` reads as ``inf``) is refused with
``BAD_USER_INPUT`` naming where it stands, before any resolver or statement runs, for every Float
argument of the schema (attack G4: ``moneyTrail(minAmount: 1e400)`` answered ``INTERNAL``)."""

import pytest

from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal
from graphapi.store import StoreStats

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
SCHEMA = build_schema()

#: Every Float argument of the schema (``grep Float schema.graphql``), each with an infinite literal.
FLOAT_ARGUMENTS = {
    "moneyTrail(minAmount:)": '{ moneyTrail(id: "acc-1", minAmount: %s) { truncated } }',
    "coTravellers(window:)": '{ coTravellers(personId: "per-somchai", window: %s) { truncated } }',
    "coTravelGroups(window:)": "{ coTravelGroups(window: %s) { truncated } }",
    "nearby(lat:)": "{ nearby(lat: %s, lon: 100) { truncated } }",
    "nearby(lon:)": "{ nearby(lat: 13, lon: %s) { truncated } }",
    "nearby(radiusKm:)": "{ nearby(lat: 13, lon: 100, radiusKm: %s) { truncated } }",
    "within(bbox:)": "{ within(bbox: [13, 100, %s, 101]) { truncated } }",
}


class _CountingStore:
    """A store that answers nothing and counts the statements it was sent."""

    dialect = "falkordb"

    def __init__(self) -> None:
        self.reads = 0
        self.stats = StoreStats()

    async def read(self, name, params=None, **placeholders):
        self.reads += 1
        return []


async def _refusals(query: str) -> tuple[list[tuple[str, str]], int]:
    store = _CountingStore()
    result = await SCHEMA.execute(query, context_value=Context(store, TH, "r"))
    return [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []], store.reads


@pytest.mark.parametrize("literal", ["1e400", "-1e400", "1.5e999"])
@pytest.mark.parametrize("argument", list(FLOAT_ARGUMENTS))
async def test_an_infinite_float_literal_is_bad_user_input_naming_the_argument(argument, literal):
    errors, reads = await _refusals(FLOAT_ARGUMENTS[argument] % literal)
    assert errors == [(f"{argument} must be a finite number, got {literal}", "BAD_USER_INPUT")]
    assert reads == 0


async def test_an_infinite_variable_default_is_bad_user_input_naming_the_variable():
    errors, reads = await _refusals('query ($m: Float = 1e400) { moneyTrail(id: "acc-1", minAmount: $m) '
                                    "{ truncated } }")
    assert errors == [("the default of variable $m must be a finite number, got 1e400", "BAD_USER_INPUT")]
    assert reads == 0


async def test_an_infinite_literal_in_a_fragment_is_refused_too():
    errors, _ = await _refusals('{ ...F } fragment F on Query { nearby(lat: 13, lon: 100, radiusKm: 1e400) '
                                "{ truncated } }")
    assert errors == [("nearby(radiusKm:) must be a finite number, got 1e400", "BAD_USER_INPUT")]


async def test_a_large_finite_literal_reaches_the_resolver():
    errors, reads = await _refusals('{ moneyTrail(id: "acc-1", minAmount: 1e300) { truncated } }')
    assert errors == [("no entity with id 'acc-1'", "NOT_FOUND")]  # the stub store holds nothing
    assert reads > 0
