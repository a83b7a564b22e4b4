"""Search finds a name as written in any script of the region, on both backends (issue 12).

Before: the query was cut into words by a ``\\w`` regex, which splits Thai and Khmer at every
vowel and tone mark, so a Khmer name was never found, not even by its exact text, and Thai only
through the ASCII-folded fallback; Latin spellings ("Somsak", "Zhang Ceshi") missed; and an exact
Cyrillic query ranked a Latin-named entity above the Cyrillic one (both were "whole name" matches,
and "Mariya" sorts before "Мария").

Names: the Cyrillic one is a real sanctioned person of ``../shared/data/ftm/yente_zala_entities``;
the others are made-up names written as people of each country write them.
"""

import pytest

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import search
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))

#: id -> (name as written, one name part, a prefix, a common Latin spelling, a typo)
NAMES = {
    "thai": ("สมศักดิ์ ใจดี", "ใจดี", "สมศั", "Somsak Chaidi", "Somsek"),
    "khmer": ("សុខ សុភា", "សុភា", "សុភ", "Sokh Sopha", "Sophaa"),
    "lao": ("ສົມພອນ ແກ້ວມະນີ", "ແກ້ວມະນີ", "ສົມພ", "Somphon", "ແກ້ວມະນິ"),
    "burmese": ("အောင်ကျော်", "ကျော်", "အောင်", "Kyaw", "Aaungg"),
    "chinese": ("张测试", "测试", "张测", "Zhang Ceshi", "Zhang Cesho"),
    "chinese-traditional": ("陳志明", "志明", "陳志", "Chen Zhiming", "Chen Zhimin"),
    "vietnamese": ("Nguyễn Thị Hoa", "Hoa", "Nguy", "Nguyen Thi Hoa", "Nguyan"),
    "cyrillic": ("Мария Александровна Осетрова", "Осетрова", "Осет", "Mariya Osetrova", "Osetrava"),
}
KINDS = ("exact", "part", "prefix", "latin", "typo")


async def _load(store, names: dict[str, str]) -> None:
    await write_records(store, [NodeRecord("Person", i, {"name": n}) for i, n in names.items()],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")


@pytest.fixture
async def scripts_store(backend_empty_store):
    await _load(backend_empty_store, {i: row[0] for i, row in NAMES.items()})
    return backend_empty_store


async def _ids(store, text: str) -> list[str]:
    return [h.node.id for h in (await search(store, TH, text, first=20)).hits]


@pytest.mark.parametrize("kind", KINDS)
async def test_search_finds_every_script_by_each_kind_of_query(scripts_store, kind):
    column = KINDS.index(kind)
    missed = {i: row[column] for i, row in NAMES.items() if i not in await _ids(scripts_store, row[column])}
    assert missed == {}


async def test_search_ranks_the_exact_name_first_in_every_script(scripts_store):
    for i, row in NAMES.items():
        page = await search(scripts_store, TH, row[0], first=5)
        assert (page.hits[0].node.id, page.hits[0].score) == (i, 3.0), row[0]


async def test_search_finds_a_khmer_name_by_its_exact_text(backend_empty_store):
    await _load(backend_empty_store, {"km": "ហ៊ុន សែន"})
    assert await _ids(backend_empty_store, "ហ៊ុន សែន") == ["km"]


async def test_search_cuts_a_thai_query_into_words_not_at_its_marks(backend_empty_store):
    # the whole name without its space, and its surname: words of the dictionary, not letters
    await _load(backend_empty_store, {"th": "สมศักดิ์ ใจดี"})
    assert await _ids(backend_empty_store, "สมศักดิ์ใจดี") == ["th"]
    assert await _ids(backend_empty_store, "ศักดิ์") == ["th"]


SPELLINGS = {"Somsak": "th", "somsak chaidi": "th", "Prayut Chan-o-cha": "prayut", "Zhang Ceshi": "zh",
             "zhangceshi": "zh", "Xi Jinping": "xi", "Ivan Testovyy": "ru", "Prasoet": "prasoet",
             "Charoen Sisuk": "charoen", "praserit": "prasoet"}


@pytest.mark.parametrize("spelling", SPELLINGS)
async def test_search_finds_a_native_name_by_its_common_latin_spelling(backend_empty_store, spelling):
    await _load(backend_empty_store, {"th": "สมศักดิ์ ใจดี", "prayut": "ประยุทธ์ จันทร์โอชา", "zh": "张测试",
                                      "xi": "习近平", "ru": "Иван Тестовый", "prasoet": "ประเสริฐ ทองดี",
                                      "charoen": "เจริญ ศรีสุข"})
    expected = SPELLINGS[spelling]
    assert await _ids(backend_empty_store, spelling) == [expected]


async def test_search_ranks_an_exact_cyrillic_name_above_its_latin_spelling(backend_empty_store):
    await _load(backend_empty_store, {"cyr": "Мария Александровна Осетрова", "lat": "Mariya Aleksandrovna Osetrova"})
    page = await search(backend_empty_store, TH, "Мария Александровна Осетрова")
    assert [(h.node.id, h.score) for h in page.hits] == [("cyr", 3.0), ("lat", 2.5)]
    part = await search(backend_empty_store, TH, "осетрова")
    assert [(h.node.id, h.score) for h in part.hits] == [("cyr", 2.0), ("lat", 1.5)]


async def test_search_ranks_an_exact_latin_name_above_a_native_name_spelled_alike(backend_empty_store):
    await _load(backend_empty_store, {"cyr": "Мария Александровна Осетрова", "lat": "Mariya Aleksandrovna Osetrova"})
    page = await search(backend_empty_store, TH, "Mariya Aleksandrovna Osetrova")
    assert [(h.node.id, h.score) for h in page.hits] == [("lat", 3.0), ("cyr", 2.5)]


async def test_search_ranks_a_name_with_its_diacritics_above_the_folded_one(backend_empty_store):
    await _load(backend_empty_store, {"vi": "Nguyễn Thị Hoa", "ascii": "Nguyen Thi Hoa"})
    page = await search(backend_empty_store, TH, "Nguyễn Thị Hoa")
    assert [(h.node.id, h.score) for h in page.hits] == [("vi", 3.0), ("ascii", 2.5)]


async def test_search_in_any_script_ignores_another_agencys_red_names(backend_empty_store):
    await _load(backend_empty_store, {"th": "สมศักดิ์ ใจดี", "zh": "张测试"})
    queries = ["สมศักดิ์", "Somsak", "Somsek", "张测", "Zhang Ceshi"]
    before = [[(h.node.id, h.score) for h in (await search(backend_empty_store, TH, q)).hits] for q in queries]
    red = ["สมศักดิ์ ใจดี", "สมศักดิ์", "Somsak Chaidi", "张测试", "Zhang Ceshi"]
    await write_records(backend_empty_store, [NodeRecord("Person", f"red{i}", {"name": n}) for i, n in enumerate(red)],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), source="vn")
    after = [[(h.node.id, h.score) for h in (await search(backend_empty_store, TH, q)).hits] for q in queries]
    assert after == before
    assert before[0] == [("th", 2.0)] and before[1] == [("th", 1.5)]


@pytest.mark.parametrize("text", ["istanbul", "İstanbul", "ISTANBUL"])
async def test_search_ranks_a_word_with_a_dotted_capital_i_the_same_on_both_backends(backend_empty_store, text):
    # Java's toLower("İ") is "i" + a combining dot: "istanbul" scored 1.5 on Neo4j, 2 on FalkorDB
    # (attack round 22, N5); every query word is a whole word of the name: 2 on both
    await _load(backend_empty_store, {"tr": "İstanbul Ößer"})
    page = await search(backend_empty_store, TH, text, first=5)
    assert [(h.node.id, h.score) for h in page.hits] == [("tr", 2.0)]


CUSTOMARY = {"Hun Sen": ("km", "ហ៊ុន សែន"), "Aung San Suu Kyi": ("my", "အောင်ဆန်းစုကြည်"),
             "Min Aung Hlaing": ("zawgyi", "မင္းေအာင္လိႈင္"), "Thongloun Sisoulith": ("lo", "ທອງລຸນ ສີສຸລິດ")}


@pytest.mark.parametrize("spelling", CUSTOMARY)
async def test_search_finds_a_burmese_khmer_or_lao_name_by_its_customary_spelling(backend_empty_store, spelling):
    # per-letter romanisation gave "hon saen", "aaung saann hcu kyi", "thngloun sisoulid": missed
    await _load(backend_empty_store, dict(CUSTOMARY.values()))
    page = await search(backend_empty_store, TH, spelling)
    assert [(h.node.id, h.score) for h in page.hits] == [(CUSTOMARY[spelling][0], 2.5)]
