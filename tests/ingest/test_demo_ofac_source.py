"""The demo seeds OFAC under the source ``lintas load ofac`` gives the same owner (new-user trial 8:
the demo's bare ``ofac-sdn`` sat beside the CLI's ``ofac-sdn@public``, every value listed two
sources, and no replace of the CLI could ever retract what the demo seeded)."""

from __future__ import annotations

import pytest
from ingest_helpers import node_props

from graphapi.cli import OFAC_ADD, OFAC_SDN, _seed_ofac
from graphapi.ingest.options import load_source
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ofac import SOURCE, read_ofac
from graphapi.ingest.writer import Provenance

pytestmark = [pytest.mark.backends, pytest.mark.skipif(not OFAC_SDN.exists(), reason="seed/ofac not present")]

CHEN_ZHI = "ofac-55505"
CLI_SOURCE = load_source("ofac-sdn", SOURCE, "public")  # lintas load ofac --source ofac-sdn (--owner public)


async def test_the_demo_seeds_ofac_under_the_source_the_cli_gives_its_owner(empty_store) -> None:
    await _seed_ofac(empty_store)
    assert (await node_props(empty_store, CHEN_ZHI))["sources"] == [CLI_SOURCE]


async def test_a_cli_replace_of_the_demos_ofac_adds_no_second_source_and_retracts_nothing(empty_store) -> None:
    await _seed_ofac(empty_store)
    reader = read_ofac(OFAC_SDN, OFAC_ADD if OFAC_ADD.exists() else None, source=CLI_SOURCE)
    again = await run_load(empty_store, reader, source=CLI_SOURCE, replace=True,
                           provenance=Provenance(owner="public", tlp="CLEAR"))
    assert (again.statements_retracted, again.nodes_deleted, again.nodes_created) == (0, 0, 0)
    assert (await node_props(empty_store, CHEN_ZHI))["sources"] == [CLI_SOURCE]
