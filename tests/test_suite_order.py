"""The suite hands its two workers the longest files first (tests/durations.py)."""

from durations import from_junit, longest_first, neo4j_waits_last


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
    order = neo4j_waits_last(files, {"tests/neo4j_only.py", "tests/neo4j_first.py"}, workers=2)
    assert order == ["tests/long.py", "tests/mid.py", "tests/neo4j_only.py", "tests/neo4j_first.py", "tests/short.py"]
