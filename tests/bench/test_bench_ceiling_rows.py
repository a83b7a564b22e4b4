"""How many prepared relationships the bench's store ceiling writes, per backend."""

from __future__ import annotations

from graphapi.bench.runner import NEO4J_CEILING_CAP, ceiling_relationships


def test_neo4j_ceiling_never_writes_more_than_the_cap():
    assert ceiling_relationships(250_000, "neo4j") == NEO4J_CEILING_CAP == 10_000


def test_embedded_ceiling_still_follows_the_load_up_to_100000():
    assert ceiling_relationships(40_000, "embedded") == 40_000
    assert ceiling_relationships(250_000, "embedded") == 100_000


def test_small_load_ceiling_writes_10000_on_both_backends():
    assert ceiling_relationships(500, "embedded") == 10_000
    assert ceiling_relationships(500, "neo4j") == 10_000
