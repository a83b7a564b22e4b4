"""A search's work is bounded by what it is given: its text is at most 256 characters of at most
16 distinct words, and a word given twice is asked for once; a name is at most 1,000 characters.
Attack round 5, F1/F2: 300 repeats of a Thai word, against a planted 30,000-word RED name, held
the embedded store for a minute (RediSearch cannot be interrupted), and 1.8 MB of Thai text held
the API worker as long (transliterated in the request)."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate.search import MAX_SEARCH_CHARS, build_query, search
from graphapi.ontology.types import get_type
from graphapi.ontology.types.name import MAX_NAME_CHARS
from graphapi.security import Principal
from graphapi.security.hits import hourly_budget, restricted_hits

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
PRAYUT = "ประยุทธ์จันทร์โอชา"


async def test_a_search_longer_than_its_bound_is_a_bad_input_not_a_store_query(store):
    with pytest.raises(InvalidArgument, match="longer than 256 characters"):
        await search(store, TH, "a" * (MAX_SEARCH_CHARS + 1))


async def test_a_search_of_more_distinct_words_than_its_bound_is_a_bad_input(store):
    words = " ".join(f"w{i}x" for i in range(17))
    with pytest.raises(InvalidArgument, match="more than 16 distinct words"):
        await search(store, TH, words)


async def test_a_word_repeated_is_asked_for_once() -> None:
    repeated = " ".join([PRAYUT] * 13)
    assert len(repeated) <= MAX_SEARCH_CHARS
    assert build_query(repeated, "falkordb") == build_query(PRAYUT, "falkordb")
    assert build_query(repeated, "neo4j") == build_query(PRAYUT, "neo4j")


async def test_hit_no_hit_refuses_a_text_past_its_bound_before_it_takes_a_unit_of_budget(store):
    budget = hourly_budget(1, name="bounds-test")
    with pytest.raises(InvalidArgument, match="longer than 256 characters"):
        await restricted_hits(store, TH, (PRAYUT + " ") * 3000, budget=budget)
    assert await budget.allow("TH-DSI/analyst-th", 1, store) == 0.0  # the one unit is still there


async def test_a_name_longer_than_its_bound_is_no_name() -> None:
    name = get_type("name")
    assert name.clean("x" * MAX_NAME_CHARS) == "x" * MAX_NAME_CHARS
    assert name.clean((PRAYUT + " ") * 30_000) is None
