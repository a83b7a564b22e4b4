"""The load options ``lintas load`` and ``POST /loads`` share (``graphapi.ingest.options``): the
source of a load (the loads themselves: tests/api/test_load_source.py)."""

from __future__ import annotations

import pytest

from graphapi.ingest.options import load_source, owns_source


def test_a_loads_source_is_its_name_or_the_loaders_at_its_owner() -> None:
    assert (load_source("th-cdr", "ftm", "TH-DSI"), load_source(None, "ftm", "TH-DSI")) == ("th-cdr@TH-DSI",
                                                                                            "ftm@TH-DSI")


@pytest.mark.parametrize(("name", "owner"), [("th-cdr@VN-MPS", "TH-DSI"), ("th-cdr:x", "TH-DSI"),
                                             ("th-cdr", "VN-MPS:x")])
def test_no_name_or_owner_spells_another_owners_source(name: str, owner: str) -> None:
    with pytest.raises(ValueError, match="is not a"):
        load_source(name, "ftm", owner)


@pytest.mark.parametrize(("source", "owner", "owned"), [
    ("ftm@TH-DSI", "TH-DSI", True), ("ftm@TH-DSI:kh-2026", "TH-DSI", True), ("ftm@TH-DSI", "VN-MPS", False),
    ("ftm", "TH-DSI", False), ("graphql:TH-DSI", "TH-DSI", False), ("@TH-DSI", "TH-DSI", False),
])
def test_only_a_source_made_for_an_owner_is_that_owners_alone(source: str, owner: str, owned: bool) -> None:
    assert owns_source(source, owner) is owned
