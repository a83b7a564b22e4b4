"""``Provenance(owner, tlp, SEEN)`` put the date in ``shared_with``: six tests stored sharedWith
["2", "0", "2", "6", ...] and shared their AMBER records with agencies named by digits. A string
there is refused with a TypeError naming the field, so a date (or one agency id) cannot be read
as a list of one-character agencies again."""

import pytest

from graphapi.ingest.provenance import Provenance


def test_a_date_given_positionally_as_shared_with_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="shared_with"):
        Provenance("TH-DSI", "AMBER", "2026-01-01T00:00:00Z")


def test_one_agency_id_as_a_plain_string_is_a_type_error_too():
    with pytest.raises(TypeError, match="shared_with"):
        Provenance("TH-DSI", "AMBER", shared_with="KH-NP")


def test_agency_ids_in_a_tuple_or_a_list_are_kept_as_a_tuple():
    assert Provenance("TH-DSI", "AMBER", ("KH-NP",)).shared_with == ("KH-NP",)
    assert Provenance("TH-DSI", "AMBER", ["KH-NP", "VN-MPS"]).shared_with == ("KH-NP", "VN-MPS")
