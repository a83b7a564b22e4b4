"""The Relay paging arguments, read once for every keyset connection."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate.paging import DEFAULT_PAGE, PageRequest, page_request


def test_paging_forward_by_default_with_the_default_page():
    assert page_request(None, None, None, None, 100) == PageRequest(DEFAULT_PAGE, None, False)
    assert page_request(5, "c", None, None, 100) == PageRequest(5, "c", False)


def test_paging_backward_with_last_or_before():
    assert page_request(None, None, 3, None, 100) == PageRequest(3, None, True)  # the last page
    assert page_request(None, None, None, "c", 100) == PageRequest(DEFAULT_PAGE, "c", True)


@pytest.mark.parametrize("first, after, last, before", [(2, None, 2, None), (None, "a", None, "b"),
                                                        (2, None, None, "b"), (None, "a", 2, None)])
def test_paging_refuses_both_directions_at_once(first, after, last, before):
    with pytest.raises(InvalidArgument, match="not both"):
        page_request(first, after, last, before, 100)


def test_paging_sizes_stay_within_the_fields_bound():
    with pytest.raises(InvalidArgument, match="last must be between 1 and 100, got 101"):
        page_request(None, None, 101, None, 100)
    with pytest.raises(InvalidArgument, match="first must be between 1 and 100, got 0"):
        page_request(0, None, None, None, 100)
