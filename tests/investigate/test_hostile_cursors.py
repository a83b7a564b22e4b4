"""A cursor the caller made up is refused as BAD_USER_INPUT, however it is built: never an
internal error (attack round 11, X3: a cursor of 100,000 nested brackets raised RecursionError)."""

import base64

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate import relationship_pages, timeline

DEEP = "[" * 100_000 + "]" * 100_000


def _cursor(kind: str, value: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


@pytest.mark.parametrize("value", [DEEP, "[1, 2", '["t", "x"]', "{}", "null", '["t", "x", true, 4]'])
def test_a_made_up_relationship_cursor_is_refused_as_bad_input(value):
    with pytest.raises(InvalidArgument, match="after is not a valid relationship cursor"):
        relationship_pages.decode_cursor(_cursor("rel", value))


@pytest.mark.parametrize("value", [DEEP, '["t"]', '"t"', '[["t"], "x"]'])
def test_a_made_up_timeline_cursor_is_refused_as_bad_input(value):
    with pytest.raises(InvalidArgument, match="after is not a valid timeline cursor"):
        timeline.decode_cursor(_cursor("timeline", value))


def test_a_cursor_of_ours_still_reads_back():
    assert timeline.decode_cursor(timeline.encode_cursor("2024-01-01T00:00:00Z", "rel-1", "at")) == (
        "2024-01-01T00:00:00Z", "rel-1", "at")
    cursor = relationship_pages.encode_cursor("2024-01-01T00:00:00Z", "rel-1", False)
    assert relationship_pages.decode_cursor(cursor) == ("2024-01-01T00:00:00Z", "rel-1")


@pytest.mark.parametrize("value", ["9" * 5000, "²", "١٢", "-1", "1.5", " 12"])
def test_a_made_up_search_or_audit_number_is_refused_as_bad_input(value):
    # attack round 25, F2: 5,000 digits and '²' (isdigit, then int() failed) were INTERNAL errors; '١٢' read as 12
    from graphapi.investigate.search import decode_cursor as search_cursor
    from graphapi.schema.security_types import decode_audit_cursor

    with pytest.raises(InvalidArgument, match="after is not a valid search cursor"):
        search_cursor(_cursor("search", value))
    with pytest.raises(InvalidArgument, match="before is not a valid audit cursor"):
        decode_audit_cursor(_cursor("audit", value), "before")
