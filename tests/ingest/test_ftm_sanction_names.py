"""An FtM Sanction without a ``program`` (Monaco's freezes in yente's zala file) is named by its
provision, else by a digest of its reason, never by the reason's paragraph: its id was
``sanction:La Principauté de Monaco|<1,800 characters of French>`` and that paragraph its chart
caption (new-user report 51). The reason is kept, as the SANCTIONED's ``reason``. A load of the
same file again is idempotent; a node named the old way is left, until a ``replace`` load
retracts it (docs/ftm.md, Sanctions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import data_dir, ftm_file

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.ftm_links import sanction_program
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance

ZALA = data_dir("ftm") / "yente_zala_entities.ftm.json"
MONACO = "La Principauté de Monaco"
REASON = ("Alexander Zakharov est un actionnaire majoritaire de LLC CST, une entité qui fait partie du groupe "
          "Kalashnikov. " * 15).strip()
PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")


def _sanction(**props: list[str]) -> dict:
    return {"id": "mc-freezes-1", "schema": "Sanction", "properties": {
        "entity": ["p-zakharov"], "authority": [MONACO], **props}}


PERSON = {"id": "p-zakharov", "schema": "Person", "properties": {"name": ["Alexander Zakharov"]}}


def test_a_sanction_without_program_is_named_by_its_provision() -> None:
    assert sanction_program([], ["(UE) 2025/389 du 24/02/2025"], [REASON]) == "(UE) 2025/389 du 24/02/2025"


def test_of_several_provisions_the_lowest_names_it_whatever_their_order() -> None:
    two = ["(UE) 2025/527 du 14/03/2025", "(UE) 2023/2875 du 18/12/2023"]
    assert sanction_program([], two, []) == sanction_program([], two[::-1], []) == "(UE) 2023/2875 du 18/12/2023"


def test_a_sanction_with_only_a_reason_is_named_by_its_first_words_and_a_digest() -> None:
    name = sanction_program([], [], [REASON])
    assert name == "Alexander Zakharov est un actionnaire majoritaire de LLC… #" + name[-8:]
    assert len(name) < 80 and sanction_program([], [], [REASON + "."]) != name  # another reason, another node


def test_a_program_is_kept_as_written() -> None:
    assert sanction_program(["UKR"], ["Asset freeze"], [REASON]) == "UKR"


def test_monacos_sanctions_of_the_zala_file_have_short_ids_and_their_reasons_on_the_link() -> None:
    items = list(FtmReader([ZALA]).records())
    monaco = sorted(r.id for r in items if isinstance(r, NodeRecord) and r.label == "Sanction"
                    and r.properties["authority"] == MONACO)
    assert monaco == [f"sanction:{MONACO}|(UE) 2023/1216 du 23/06/2023",
                      f"sanction:{MONACO}|(UE) 2023/2875 du 18/12/2023",
                      f"sanction:{MONACO}|(UE) 2025/389 du 24/02/2025"]
    [link] = [r for r in items if isinstance(r, EdgeRecord) and r.properties.get("recordId") ==
              "mc-freezes-177d223279e6dbdf83a8c2637b06918acf1ebf00"]
    assert link.end == f"sanction:{MONACO}|(UE) 2025/389 du 24/02/2025"
    assert link.properties["reason"].startswith("Alexander Zakharov est un actionnaire majoritaire de LLC CST")
    assert len(link.properties["reason"]) > 1_300


def _sanctions(snap: dict) -> dict[str, str]:
    return {n["props"]["id"]: n["props"].get("caption") for n in snap["nodes"] if "Sanction" in n["labels"]}


@pytest.mark.backends
@pytest.mark.asyncio(loop_scope="session")
async def test_loading_the_same_sanction_again_creates_nothing(empty_store, tmp_path: Path) -> None:
    path = ftm_file(tmp_path, PERSON, _sanction(provisions=["(UE) 2025/389 du 24/02/2025"], reason=[REASON]),
                    name="monaco.ftm.json")
    await run_load(empty_store, FtmReader([path], source="mc-freezes"), source="mc-freezes", provenance=PROV)
    again = await run_load(empty_store, FtmReader([path], source="mc-freezes"), source="mc-freezes", provenance=PROV)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    [snap] = await empty_store.read("admin/snapshot")
    assert _sanctions(snap) == {f"sanction:{MONACO}|(UE) 2025/389 du 24/02/2025": "(UE) 2025/389 du 24/02/2025"}
    [link] = [r for r in snap["relationships"] if r["type"] == "SANCTIONED"]
    assert link["props"]["reason"] == REASON


@pytest.mark.backends
@pytest.mark.asyncio(loop_scope="session")
async def test_a_replace_load_retracts_the_sanction_named_by_its_reason_before(empty_store, tmp_path: Path) -> None:
    # what the loader made of it before: the reason as the program (so as the id and the caption)
    old = ftm_file(tmp_path, PERSON, _sanction(program=[REASON]), name="old.ftm.json")
    await run_load(empty_store, FtmReader([old], source="mc-freezes"), source="mc-freezes", provenance=PROV)
    new = ftm_file(tmp_path, PERSON, _sanction(provisions=["(UE) 2025/389 du 24/02/2025"], reason=[REASON]),
                   name="monaco.ftm.json")
    await run_load(empty_store, FtmReader([new], source="mc-freezes"), source="mc-freezes", provenance=PROV)
    [snap] = await empty_store.read("admin/snapshot")
    assert set(_sanctions(snap)) == {f"sanction:{MONACO}|{REASON}", f"sanction:{MONACO}|(UE) 2025/389 du 24/02/2025"}
    await run_load(empty_store, FtmReader([new], source="mc-freezes"), source="mc-freezes", provenance=PROV,
                   replace=True)
    [snap] = await empty_store.read("admin/snapshot")
    assert set(_sanctions(snap)) == {f"sanction:{MONACO}|(UE) 2025/389 du 24/02/2025"}
    assert [(r["from"], r["to"]) for r in snap["relationships"] if r["type"] == "SANCTIONED"] == [
        ("p-zakharov", f"sanction:{MONACO}|(UE) 2025/389 du 24/02/2025")]


def test_a_provisions_line_breaks_and_runs_of_spaces_are_one_space():
    # a provision holding a line break made a Sanction id of two lines (attack round 52, 3)
    assert sanction_program([], ["(UE) 2025/389\n du  24/02/2025"], []) == "(UE) 2025/389 du 24/02/2025"
