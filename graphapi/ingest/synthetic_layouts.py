"""SYNTHETIC feeds in another partner's layout: the same facts as :mod:`graphapi.ingest.synthetic`
(same seed, same people, checkpoints and crossings), written the way a second partner writes
them, to show and test that a mapping, not code, absorbs a partner's style.

``crossings-tm``: a Thai immigration export of the border-crossing log. Other column names (some
in Thai), ids with separators (``P-0000015``), checkpoint codes in lower case, day-first dates
(``01.04.1983``, ``25/05/2026 06:47:54``), ISO alpha-3 nationalities, ``/`` between a
checkpoint's countries, the direction in Thai or English words of any case (``ขาเข้า``,
``IN``, ``departure``) and the checkpoint kind in Thai. Its mapping is
``seed/mappings/partners/crossings-tm.yaml``.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

from graphapi.ingest.synthetic import DEFAULT_SEED, iter_feed

LAYOUTS = ("crossings-tm",)

_TM_COLUMNS = ["ลำดับ", "Traveller No", "Name (as in passport)", "Nationality", "Date of Birth", "Passport No",
               "Checkpoint Code", "Checkpoint", "Countries", "ประเภทด่าน", "ทิศทาง", "Date/Time"]
_DIRECTION = {"entry": ["ขาเข้า", "เข้า", "IN", "Arrival"], "exit": ["ขาออก", "ออก", "OUT", "Departure"]}
_KIND = {"land": "ทางบก", "river": "ทางน้ำ", "sea": "ทางทะเล", "air": "ทางอากาศ", "informal": "ช่องทางธรรมชาติ"}
_ALPHA3 = {"TH": "THA", "KH": "KHM", "MM": "MMR", "LA": "LAO", "VN": "VNM", "PH": "PHL", "ID": "IDN",
           "MY": "MYS", "CN": "CHN", "LK": "LKA", "IN": "IND", "NP": "NPL", "BD": "BGD", "PK": "PAK",
           "UG": "UGA", "KE": "KEN", "ET": "ETH", "TW": "TWN", "KR": "KOR", "JP": "JPN", "US": "USA"}


def _day_first(iso: str) -> str:
    """``2026-05-25 06:47:54`` -> ``25/05/2026 06:47:54``; ``1983-04-01`` -> ``01.04.1983``."""
    day, _, time = iso.partition(" ")
    y, m, d = day.split("-")
    return f"{d}/{m}/{y} {time}" if time else f"{d}.{m}.{y}"


def _crossings_tm(rows: int, seed: int) -> Iterator[list[str]]:
    rng = random.Random(f"crossings-tm:{seed}")
    for xid, pid, name, nat, birth, doc, cp_id, cp_name, countries, kind, direction, at in iter_feed(
            "crossings", rows, seed):
        yield [xid.replace("X", "TM6-", 1), f"{pid[0]}-{pid[1:]}", name, _ALPHA3.get(nat, nat), _day_first(birth),
               doc, cp_id.lower(), cp_name, countries.replace(";", "/"), _KIND.get(kind, kind),
               rng.choice(_DIRECTION[direction]), _day_first(at)]


def generate_layout(layout: str, rows: int, path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write ``rows`` rows of ``layout`` (see :data:`LAYOUTS`) as CSV with a header to ``path``;
    same arguments, same bytes. Raises ``ValueError`` for an unknown layout."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {LAYOUTS}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_TM_COLUMNS)
        writer.writerows(_crossings_tm(rows, seed))
    return path
