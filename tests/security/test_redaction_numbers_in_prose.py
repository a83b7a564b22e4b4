"""A victim's phone and bank account numbers are redacted in prose however they are spaced
(issue 10): "+84 91 234 5678", "091-234-5678", "0011 0044 55667", an IBAN in groups of four.

Before: numbers were compared as whole words only, so a number written with blanks, dashes or
dots (as people write them) was shown, and bank accounts were not looked for at all."""

import pytest

from graphapi.ingest.records import EdgeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.victim_names import NameScrubber, _with_national_numbers, victim_names

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
PHONE = NameScrubber(_with_national_numbers(["+84912345678"]))
ACCOUNTS = NameScrubber(["0011004455667", "GB82WEST12345698765432"])


@pytest.mark.parametrize("text", ["call +84 91 234 5678 now", "call 091-234-5678 now", "call 091.234.5678 now",
                                  "call (+84) 91 234 5678 now", "call 0084 91 234 5678 now", "call 91 234 5678 now"])
def test_a_victims_phone_number_is_redacted_however_it_is_spaced(text):
    assert PHONE.scrub(text).replace("(", "").replace(")", "") in ("call [redacted] now",)


@pytest.mark.parametrize("text", ["call 091-234-5679", "call 1091-234-5678", "call 091-234-56789", "ref 2024-05-06"])
def test_a_number_is_redacted_only_whole(text):
    assert PHONE.scrub(text) == text


@pytest.mark.parametrize("text", ["paid 0011 0044 55667.", "paid 001-100-4455667.", "paid GB82 WEST 1234 5698 7654 32.",
                                  "paid gb82west12345698765432."])
def test_a_victims_account_number_and_iban_are_redacted_in_prose(text):
    assert ACCOUNTS.scrub(text) == "paid [redacted]."


@pytest.mark.asyncio(loop_scope="session")
async def test_a_case_document_redacts_the_victims_spaced_phone_and_account(backend_store):
    """Fixture: Nguyen Van An, TH-DSI's victim in case DSI-2025-0142, uses +84912345678."""
    victim, account = "per-nguyen-van-an", "account:VN:BFTVVNVX:0011004455667"
    origin = Origin("more@TH-DSI", "x.csv", 1)
    await write_records(backend_store, [EdgeRecord("HOLDS_ACCOUNT", load_model().relationship_id(
        "HOLDS_ACCOUNT", victim, account), victim, account, {}, origin)],
        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="more@TH-DSI")
    doc = "document:9f2c1a0e5d7b4c3a2f1e0d9c8b7a69584736251403f2e1d0c9b8a7968574a3b2"
    scrubber = (await victim_names(backend_store, TH, [doc]))[doc]
    assert scrubber.scrub("called +84 91 234 5678, paid into 0011-0044-55667") == \
        "called [redacted], paid into [redacted]"
