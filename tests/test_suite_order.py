"""The suite hands its two workers the longest files first (tests/durations.py)."""

import re
from pathlib import Path

from durations import from_junit, longest_first, neo4j_waits_last, plans_dropped_last

TESTS = Path(__file__).parent
#: What makes Neo4j drop every cached plan: a schema change, or clearing the caches (tests/replan.py).
DROPS_PLANS = re.compile(r"DROP INDEX|DROP CONSTRAINT|clearQueryCaches|\breplan\(")


def test_files_never_measured_come_first_then_the_longest_measured():
    rank = longest_first(["tests/b.py", "tests/new.py", "tests/a.py", "tests/b.py"],
                         {"tests/a.py": 3.0, "tests/b.py": 40.0, "tests/gone.py": 99.0})
    assert sorted(rank, key=rank.get) == ["tests/new.py", "tests/b.py", "tests/a.py"]


def test_a_junit_report_gives_each_files_seconds_summed_over_its_tests(tmp_path):
    report = tmp_path / "suite.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.test_suite_order" name="one" time="1.25" />'
        '<testcase classname="tests.test_suite_order" name="two[x]" time="2.5" />'
        '<testcase classname="tests.security.test_nothing_here" name="three" time="4" />'
        "</testsuite></testsuites>", encoding="utf-8")
    assert from_junit(report) == {"tests/security/test_nothing_here.py": 4.0, "tests/test_suite_order.py": 3.8}


def test_no_worker_starts_with_a_file_whose_first_test_waits_for_neo4j():
    files = ["tests/neo4j_only.py", "tests/long.py", "tests/neo4j_first.py", "tests/mid.py", "tests/short.py"]
    seconds = {"tests/long.py": 60.0, "tests/mid.py": 40.0, "tests/short.py": 1.0}
    order = neo4j_waits_last(files, {"tests/neo4j_only.py", "tests/neo4j_first.py"}, seconds, workers=2, start_s=45)
    assert order == ["tests/long.py", "tests/mid.py", "tests/neo4j_only.py", "tests/neo4j_first.py", "tests/short.py"]


def test_a_file_whose_later_test_needs_neo4j_waits_until_embedded_files_cover_the_start():
    # ci90: each worker's first file was a 1 s file of embedded tests, its second one's first Neo4j
    # test then waited 26 and 31 s for the session's Neo4j
    files = ["tests/embedded_then_neo4j.py", "tests/tiny.py", "tests/neo4j_long.py", "tests/mid.py",
             "tests/long.py", "tests/short.py"]
    seconds = {"tests/embedded_then_neo4j.py": 35.0, "tests/tiny.py": 1.0, "tests/neo4j_long.py": 50.0,
               "tests/mid.py": 30.0, "tests/long.py": 70.0, "tests/short.py": 2.0}
    order = neo4j_waits_last(files, {"tests/embedded_then_neo4j.py", "tests/neo4j_long.py"}, seconds, workers=2,
                             start_s=45)
    # 1 + 30 + 70 s of embedded files before any Neo4j one: over 2 x 45 s
    assert order == ["tests/tiny.py", "tests/mid.py", "tests/long.py", "tests/embedded_then_neo4j.py",
                     "tests/neo4j_long.py", "tests/short.py"]


def test_without_enough_embedded_files_all_of_them_go_first():
    order = neo4j_waits_last(["tests/n.py", "tests/e.py"], {"tests/n.py"}, {"tests/e.py": 5.0}, workers=2, start_s=45)
    assert order == ["tests/e.py", "tests/n.py"]


def test_files_that_make_neo4j_drop_its_plans_are_handed_out_last_in_their_order():
    files = ["tests/long.py", "tests/drops_a.py", "tests/mid.py", "tests/drops_b.py", "tests/short.py"]
    order = plans_dropped_last(files, {"tests/drops_b.py", "tests/drops_a.py"})
    assert order == ["tests/long.py", "tests/mid.py", "tests/short.py", "tests/drops_a.py", "tests/drops_b.py"]


def _drops_plans(module: Path) -> bool:
    """Whether ``module`` makes Neo4j drop its plans itself or through a test module it imports."""
    text = module.read_text(encoding="utf-8")
    if DROPS_PLANS.search(text):
        return True
    imported = re.findall(r"^from (\w+) import", text, re.M)
    return any(DROPS_PLANS.search(found.read_text(encoding="utf-8"))
               for name in imported for found in TESTS.rglob(f"{name}.py"))


def test_every_test_module_that_makes_neo4j_drop_its_plans_carries_the_mark():
    dropping = sorted(str(m.relative_to(TESTS)) for m in TESTS.rglob("test_*.py")
                      if m.name != Path(__file__).name and _drops_plans(m))
    unmarked = [m for m in dropping if "pytest.mark.drops_neo4j_plans" not in (TESTS / m).read_text(encoding="utf-8")]
    assert "store/test_search_audience_repair.py" in dropping and "investigate/test_syndicate_scope.py" in dropping
    assert unmarked == []
