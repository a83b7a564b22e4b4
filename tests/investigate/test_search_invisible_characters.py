"""A name with an invisible character inside is found by its visible spelling, and a query with
one finds the name without it, on both backends (attack round 23, C3: "Zw<U+200B>Name1" was
indexed as two words, so "ZwName1", what an analyst types, found nothing). A zero-width space
between Thai words stays their break."""

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.investigate.search import search
from graphapi.security import Principal

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
NAMES = {
    "per-zw": "Zw\u200bName1",
    "per-tag": "Tag\U000e0041Name1",
    "per-vs": "Vs\ufe0fName1",
    "per-plain": "Alpha Search Zero",
    "per-rlo": "\u202eRlo Name1",
    "per-thai": "สมชาย\u200bใจดี",
}


@pytest.fixture
async def named(backend_empty_store, tmp_path):
    """The names loaded as an agency's FtM file (the loader cleans them as every loader does)."""
    feed = tmp_path / "names.ftm.json"
    feed.write_text("".join(json.dumps({"id": i, "schema": "Person", "properties": {"name": [n]}}) + "\n"
                            for i, n in NAMES.items()), encoding="utf-8")
    await run_load(backend_empty_store, FtmReader([feed], source="la"), source="la",
                   provenance=Provenance(owner="LA-MPS", tlp="GREEN"))
    return backend_empty_store


async def _ids(store, text: str) -> list[str]:
    return [h.node.id for h in (await search(store, VN, text)).hits]


@pytest.mark.parametrize(("query", "found"), [
    ("ZwName1", "per-zw"),
    ("TagName1", "per-tag"),
    ("VsName1", "per-vs"),
    ("Zw\u200bName1", "per-zw"),
])
async def test_a_name_with_an_invisible_character_is_found_by_its_visible_spelling(named, query, found):
    assert await _ids(named, query) == [found]


async def test_a_query_with_invisible_characters_finds_the_name_without_them(named):
    assert await _ids(named, "Al\u200bpha Sea\u200crch Ze\u200dro") == ["per-plain"]


@pytest.mark.parametrize("query", ["สมชาย", "ใจดี", "สมชาย\u200bใจดี", "สมชายใจดี"])
async def test_a_thai_name_cut_by_a_zero_width_space_is_found_by_each_word_and_whole(named, query):
    assert await _ids(named, query) == ["per-thai"]


async def test_a_bidi_override_reaches_neither_the_name_nor_the_caption(named):
    [row] = await named.read("ingest/existing_nodes", {"ids": ["per-rlo"]})
    assert (row["props"]["name"], row["props"]["caption"]) == ("Rlo Name1", "Rlo Name1")
    assert await _ids(named, "Rlo Name1") == ["per-rlo"]
