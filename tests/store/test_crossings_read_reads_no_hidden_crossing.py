"""coTravelGroups' crossings read (analytics/crossings_between) finds the crossings through their
levels' index, so another agency's hidden ones in the range cost it nothing: it matched every
CROSSED of the range and filtered visible(c) after, and TH's 20,000 AMBER crossings made VN's empty
answer 7.6x slower on Neo4j, 2.4x on FalkorDB (attack round a-88, 1: a yes/no timing oracle for
"another agency recorded crossings here and then"). Asserted on the rows each operator of the
profiled plan produced, never on time."""

import pytest
from operator_rows import rows_per_operator

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

#: Operators that read the store (scans, seeks, expansions, the full-text procedure), either backend.
READS = ("Scan", "Seek", "Expand", "Traverse", "ProcedureCall")
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


async def _th_crossings(store, people: int, **levels) -> None:
    """TH's travellers GREEN (every agency sees them), five crossings each at ``levels``."""
    nodes = [NodeRecord("BorderCheckpoint", "bcp-a", {"name": "A"})]
    nodes += [NodeRecord("Person", f"p{i}", {"name": f"p{i}"}) for i in range(people)]
    await write_records(store, nodes, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="people-th")
    crossed = [EdgeRecord("CROSSED", f"x{i}-{d}", f"p{i}", "bcp-a", {"at": f"2025-0{1 + d}-01T10:00:00"})
               for i in range(people) for d in range(5)]
    await write_records(store, crossed, provenance=Provenance(owner="TH-DSI", **levels), source="imm-th")


async def test_another_agencys_hidden_crossings_in_the_range_are_no_operators_row(empty_store):
    await _th_crossings(empty_store, 12, tlp="AMBER")  # 60 crossings VN may not see
    params = {"since": "2025-01-01T00:00:00", "until": "2025-12-31T23:59:59", "checkpoints": None,
              "limit": 100, "masked": True, **VN.cypher_params()}

    assert await empty_store.read("analytics/crossings_between", params) == []
    reading = await _reading_rows(empty_store, params)
    assert reading and not any(reading.values()), reading


@pytest.mark.parametrize("tlp", ["RED", "AMBER+STRICT"])
async def test_another_agencys_hidden_crossings_naming_the_reader_are_no_operators_row(empty_store, tlp):
    # its sharedWith names VN, but at RED or AMBER+STRICT only TH sees them: Neo4j's full-text index on
    # sharedWith alone gave each to VN's read (attack round a-92, 1)
    await _th_crossings(empty_store, 12, tlp=tlp, shared_with=("VN-MPS",))
    params = {"since": "2025-01-01T00:00:00", "until": "2025-12-31T23:59:59", "checkpoints": None,
              "limit": 100, "masked": True, **VN.cypher_params()}

    assert await empty_store.read("analytics/crossings_between", params) == []
    reading = await _reading_rows(empty_store, params)
    assert reading and not any(reading.values()), reading


async def _reading_rows(store, params: dict) -> dict[str, int]:
    """The rows of the profiled read's reading operators; Neo4j's profile gives its full-text procedure
    call 0 rows whatever it yields, so the projection of what it yields (``relationship AS c``) counts."""
    rows = await rows_per_operator(store, "analytics/crossings_between", params)
    return {op: n for op, n in rows.items()
            if any(r in op.split("|")[0].split("@")[0] for r in READS) or "relationship AS c" in op}


@pytest.mark.parametrize(("levels", "read"), [
    ({"tlp": "AMBER", "shared_with": ("VN-MPS",)}, 10),  # shared with VN: the full-text keyword on Neo4j
    ({"tlp": "AMBER", "shared_with": ("LA-POL", "VN-MPS.x")}, 0),  # others, one VN's id a prefix of
    ({"tlp": "RED", "shared_with": ("VN-MPS",)}, 0),
    ({"tlp": "GREEN"}, 10),
], ids=["shared", "shared-with-others", "red-shared", "green"])
async def test_the_crossings_read_finds_those_shared_with_the_reader_and_public_ones_through_the_index(
        empty_store, levels, read):
    await _th_crossings(empty_store, 2, **levels)
    params = {"since": None, "until": None, "checkpoints": None, "limit": 100, "masked": True, **VN.cypher_params()}
    assert len(await empty_store.read("analytics/crossings_between", params)) == read
