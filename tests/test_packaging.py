"""A non-editable install (``pip install .``) carries every statement and seed file, and an
installed ``lintas`` reads them from the package, not from a checkout.

Builds the wheel once (pip, the project's own build backend; ~10 s) from a copy of the files a
build reads, so the checkout gets no ``build/`` or ``*.egg-info``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: What a build reads: the metadata, the README (the long description) and the three trees.
BUILD_INPUTS = ("pyproject.toml", "README.md", "graphapi", "cypher", "seed")


def _files(root: Path, pattern: str = "*") -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob(pattern)
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in BUILD_INPUTS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("lintas-*.whl")
    return built


def _wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def test_wheel_holds_every_cypher_statement_and_fragment(wheel: Path) -> None:
    shipped = _files(REPO / "cypher")
    assert any(name.endswith(".cypher") for name in shipped)
    assert {f"graphapi/cypher/{name}" for name in shipped} <= _wheel_files(wheel)


def test_wheel_holds_every_seed_file(wheel: Path) -> None:
    shipped = _files(REPO / "seed")
    assert "fixture/graph.yaml" in shipped and "mappings/cdr.yaml" in shipped
    assert {f"graphapi/seed/{name}" for name in shipped} <= _wheel_files(wheel)


def test_wheel_holds_every_module_and_ontology_file(wheel: Path) -> None:
    # pyproject lists the packages: a new subpackage missing from the list fails here.
    shipped = {f"graphapi/{name}" for name in _files(REPO / "graphapi") if name.endswith((".py", ".yaml", ".tsv"))}
    assert shipped - _wheel_files(wheel) == set()


def test_installed_lintas_reads_its_statements_from_the_package(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
    probe = (
        "import json; from graphapi import resources; from graphapi.store.statements import catalog; "
        "from graphapi.ingest.fixture import FIXTURE; "
        "print(json.dumps({'cypher': str(resources.CYPHER), 'seed': str(resources.SEED), "
        "'fixture': FIXTURE.is_file(), 'statements': sorted(catalog('neo4j').names())}))"
    )
    # Run outside the checkout, the installed copy first on the path (the dependencies come from
    # this environment).
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["cypher"] == str(site / "graphapi" / "cypher")
    assert seen["seed"] == str(site / "graphapi" / "seed")
    assert seen["fixture"] is True
    from graphapi.store.statements import catalog

    assert seen["statements"] == sorted(catalog("neo4j").names())
