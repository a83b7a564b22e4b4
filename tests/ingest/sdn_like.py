"""A generator of SDN-like files (OFAC's legacy ``sdn.csv`` format) at any size, with a fixed
seed: individuals, entities, vessels (about 1 in 18 rows, as in the full list) and aircraft, a
header row, the DOS end-of-file byte, and a few planted malformed rows whose lines it returns.
For the tests that the full list loads when the real full file is not at hand."""

from __future__ import annotations

import random
from pathlib import Path

HEADER = "ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks"
_NULL = "-0- "
_FLAGS = ["Iran", "Panama", "Malta", "Togo", "Cameroon", "Comoros", "Korea, North", "Liberia"]
_PROGRAMS = ["SDGT", "IRAN-EO13846", "DPRK3", "RUSSIA-EO14024", "TCO] [BURMA-EO14014", "CYBER4"]


def _row(*fields: str) -> str:
    return ",".join(f if f == _NULL or f.isdigit() else f'"{f}"' for f in fields)


def write_sdn_like(path: Path, rows: int, seed: int = 13) -> list[int]:
    """Write ``rows`` SDN rows (plus header and end byte) to ``path``; return the lines of the
    planted malformed rows (a short row, a non-numeric ent_num, a NUL, a duplicate ent_num)."""
    rng = random.Random(seed)
    lines, bad = [HEADER], []
    owners: list[str] = []
    for i in range(rows):
        ent = str(10000 + i)
        program = rng.choice(_PROGRAMS)
        kind = rng.random()
        if kind < 0.055:  # a vessel
            owner = rng.choice(owners) if owners else "OCEAN SHIPPING CO LTD"
            lines.append(_row(ent, f"VESSEL {i}", "vessel", program, _NULL, f"9HA{i:04d}", "Crude Oil Tanker",
                              f"{rng.randint(1, 90):d},{rng.randint(100, 999)}", _NULL, rng.choice(_FLAGS), owner,
                              f"Vessel Registration Identification IMO {9000000 + i}; MMSI {200000000 + i}; "
                              f"Former Vessel Flag {rng.choice(_FLAGS)}; Linked To: {owner}."))
        elif kind < 0.06:  # an aircraft
            lines.append(_row(ent, f"EP-{i:04d}", "aircraft", program, _NULL, _NULL, _NULL, _NULL, _NULL, _NULL,
                              _NULL, f"Aircraft Manufacture Date 1992; Aircraft Model IL76-TD; Aircraft "
                              f"Manufacturer's Serial Number (MSN) {100000 + i}; Aircraft Tail Number EP-{i:04d}."))
        elif kind < 0.55:  # an individual
            lines.append(_row(ent, f"SURNAME{i}, Given", "individual", program, _NULL, _NULL, _NULL, _NULL, _NULL,
                              _NULL, _NULL, f"DOB {rng.randint(1, 28):02d} Jan {rng.randint(1940, 2000)}; "
                              f"nationality {rng.choice(_FLAGS)}; Passport P{i:07d} ({rng.choice(_FLAGS)})."))
        else:  # an entity
            name = f"TRADING {i} CO LTD"
            owners.append(name)
            lines.append(_row(ent, name, _NULL, program, _NULL, _NULL, _NULL, _NULL, _NULL, _NULL, _NULL,
                              f"Registration Number R{i}; Linked To: {rng.choice(owners)}."))
        if i in (rows // 5, 2 * rows // 5, 3 * rows // 5, 4 * rows // 5):
            planted = {rows // 5: _row("99991", "SHORT ROW", "individual"),
                       2 * rows // 5: _row("X1", "NOT A NUMBER", *[_NULL] * 10),
                       3 * rows // 5: _row("99992", "NUL\x00NAME", *[_NULL] * 10),
                       4 * rows // 5: _row(ent, "DUPLICATE", *[_NULL] * 10)}[i]
            lines.append(planted)
            bad.append(len(lines))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b"\x1a")
    return bad
