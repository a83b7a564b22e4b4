"""The committed schema.graphql equals the SDL the code prints (the @neo4j/graphql habit)."""

from pathlib import Path

from graphapi.schema.schema import print_sdl

SNAPSHOT = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_sdl_snapshot_matches_committed_schema() -> None:
    committed = SNAPSHOT.read_text(encoding="utf-8")
    assert committed == print_sdl(), (
        "schema.graphql is out of date with the GraphQL schema: run `lintas schema > schema.graphql` "
        "and commit the result"
    )
