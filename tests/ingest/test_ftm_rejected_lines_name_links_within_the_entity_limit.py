"""The links a rejected FtM link line still names (``Rejection.links``: their echoes kept no
wider) count against the per-entity limit (``LINTAS_FTM_MAX_LINKS_PER_ENTITY``) as the links a
loaded line draws do, not only against its bytes (graphapi/ingest/readers/ftm_link_budget.py), and
its reject line says how many of its pairs it names when that is fewer than it draws."""

import json

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import Rejection


def _members(eid, members, orgs, **props):
    return {"id": eid, "schema": "Membership", "properties": {
        "member": [f"p{i}" for i in range(members)], "organization": [f"o{i}" for i in range(orgs)], **props}}


def _rejections(tmp_path, entity, max_links):
    path = tmp_path / "m.ftm.json"
    path.write_text(json.dumps(entity, separators=(",", ":")) + "\n", encoding="utf-8")
    return [r for r in FtmReader([path], source="ftm", max_links=max_links).records() if isinstance(r, Rejection)]


def test_a_line_rejected_for_a_value_names_no_more_pairs_than_the_entity_limit(tmp_path):
    [rej] = _rejections(tmp_path, _members("m-1", 2, 3, startDate=["not a date"]), max_links=4)  # 6 pairs
    assert [(x.start, x.end) for x in rej.links] == [("p0", "o0"), ("p0", "o1"), ("p0", "o2"), ("p1", "o0")]


def test_a_line_too_wide_to_load_names_no_more_pairs_than_the_entity_limit(tmp_path):
    [rej] = _rejections(tmp_path, _members("m-1", 32, 32), max_links=10)  # 1,024 pairs, 27 by its bytes
    assert len(rej.links) == 10


def test_the_reject_line_says_how_many_of_its_pairs_it_names(tmp_path):
    [rej] = _rejections(tmp_path, _members("m-1", 2, 3, startDate=["not a date"]), max_links=4)
    assert rej.reason == ("Membership 'm-1' draws 6 relationships, over the limit of 4 one entity may draw "
                          "(LINTAS_FTM_MAX_LINKS_PER_ENTITY); not loaded; only its first 4 links keep their echoes "
                          "no wider, held to the same limits")


def test_a_line_naming_every_pair_it_draws_says_nothing_of_them(tmp_path):
    [rej] = _rejections(tmp_path, _members("m-1", 2, 3, startDate=["not a date"]), max_links=6)
    assert (len(rej.links), "echoes" in rej.reason) == (6, False)
