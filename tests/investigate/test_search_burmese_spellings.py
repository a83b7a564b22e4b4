"""Search finds a Burmese name however it was typed, on both backends (new-user trial 7: a name
stored in Unicode was not found by its Zawgyi-era spelling, which stores the vowel sign E before
its consonant and the asat as a virama, nor by the same letters with two vowel signs swapped).
The loader and the query read Burmese in one spelling (``graphapi.ontology.types.myanmar``)."""

import pytest

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import search
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
UNICODE = "မင်းအောင်လှိုင်"  # Min Aung Hlaing (OFAC SDN, Burma-related sanctions)
ZAWGYI = "မင္းေအာင္လိႈင္"
SWAPPED = "မင်းအောင်လှုိင်"  # vowel sign U typed before I


async def _ids(store, text: str) -> list[str]:
    return [h.node.id for h in (await search(store, TH, text, first=20)).hits]


async def _person(store, name: str) -> None:
    await write_records(store, [NodeRecord("Person", "per-mah", {"name": name})],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")


async def test_a_unicode_name_is_found_by_its_zawgyi_spelling(backend_empty_store):
    await _person(backend_empty_store, UNICODE)
    assert await _ids(backend_empty_store, ZAWGYI) == ["per-mah"]


async def test_a_zawgyi_era_record_is_found_by_the_unicode_spelling(backend_empty_store):
    await _person(backend_empty_store, ZAWGYI)
    assert await _ids(backend_empty_store, UNICODE) == ["per-mah"]


async def test_a_name_is_found_with_its_vowel_signs_typed_in_another_order(backend_empty_store):
    await _person(backend_empty_store, UNICODE)
    assert await _ids(backend_empty_store, SWAPPED) == ["per-mah"]


async def test_a_zawgyi_spelling_of_one_name_part_finds_it(backend_empty_store):
    await _person(backend_empty_store, UNICODE)
    assert await _ids(backend_empty_store, "မင္း") == ["per-mah"]
