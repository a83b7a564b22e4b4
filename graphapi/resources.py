"""Where the shipped statements and seed data are.

A source checkout keeps them at the top (``cypher/``, ``seed/``, as the project describes); a
built wheel carries the same folders inside the package (``graphapi/cypher``, ``graphapi/seed``:
``pyproject.toml`` maps them there), so an installed ``lintas`` finds them without a checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """``graphapi/<name>`` in an installed wheel, else ``<checkout>/<name>``."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


#: Every Cypher statement, one ``.cypher`` file each, and the dialect overrides.
CYPHER = shipped_dir("cypher")
#: Seed data: the fixture, the OFAC subset, the mappings, the exclusions and the samples.
SEED = shipped_dir("seed")
