"""Vessels and aircraft of OFAC's SDN list (SDN_Type ``vessel`` / ``aircraft``) as the
ontology's ``Vessel`` / ``Airplane`` (FollowTheMoney's schema names): their particulars from the
SDN columns (Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner) and the Remarks
(``Vessel Registration Identification IMO 9116412``, ``MMSI``, ``Former Vessel Flag``,
``Aircraft Tail Number``, ``Aircraft Manufacturer's Serial Number (MSN)``, ``Aircraft Model``,
``Aircraft Operator``, ...: :mod:`.ofac_remarks`). Part of :mod:`.ofac`.
"""

from __future__ import annotations

import re
from typing import Any

from graphapi.ingest.readers.ofac_remarks import Remarks
from graphapi.ontology.types import get_type

#: SDN_Type -> label of the vessels and aircraft the list names
CRAFT = {"vessel": "Vessel", "aircraft": "Airplane"}


def _null(value: str | None) -> str | None:
    v = (value or "").strip()
    return None if v in ("", "-0-") else v


def craft_properties(label: str, f: list[str], remarks: Remarks, notes: list[str]) -> dict[str, Any]:
    """The ``label`` (Vessel / Airplane) properties of the SDN row ``f`` and its ``remarks``. A
    flag, a tonnage or a date that does not clean goes to ``notes`` as written, never lost."""
    c = remarks.craft
    props: dict[str, Any] = {}

    def typed(type_name: str, text: str | None, what: str) -> Any:
        value = get_type(type_name).clean(text) if text else None
        if text and value is None:
            notes.append(f"{what} {text}")
        return value

    flag = typed("country", _null(f[9]), "Flag")
    past = [typed("country", t, "Former Flag") for t in c.get("past_flag", [])]
    built = [d for d in (typed("date", t, "Built") for t in c.get("built", [])) if d]
    if label == "Vessel":
        imo = [re.sub(r"\D", "", t) for t in c.get("imo", [])]
        props.update(imoNumber=next((f"IMO{d}" for d in imo if d), None),
                     mmsi=next(iter(c.get("mmsi", [])), None), callSign=_null(f[5]),
                     vesselType=_null(f[6]), tonnage=typed("float", _null(f[7]), "Tonnage"),
                     grossRegisteredTonnage=typed("float", _null(f[8]), "GRT"), ownerName=_null(f[10]),
                     pastFlags=[p for p in dict.fromkeys(past) if p])
    else:
        props.update(registrationNumber=list(dict.fromkeys(c.get("tail", []))),
                     serialNumber=list(dict.fromkeys(c.get("serial", []))),
                     transponderCode=next(iter(c.get("transponder", [])), None),
                     model=next(iter(c.get("model", [])), None),
                     operatorName=next(iter(c.get("operator", [])), None), ownerName=_null(f[10]))
    props.update(flag=flag, buildDate=built[0] if built else None)
    return props
