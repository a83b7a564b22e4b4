"""FtM ``Vessel`` / ``Airplane`` entities as the ontology's Vessel / Airplane, with the
particulars OFAC's loader keeps for the same craft (:mod:`.ofac_craft`), so a sanctioned tanker
read from an FtM export and from the SDN list carries the same values: an IMO number as ``IMO``
and seven digits, flags as ISO codes, FtM's ``type`` as ``vesselType``. Part of
:class:`graphapi.ingest.readers.ftm.FtmReader`.
"""

from __future__ import annotations

import re
from typing import Any

from graphapi.ingest.readers.ftm_entity import EntityValues
from graphapi.ontology.types import ValueType

CRAFT_LABELS = frozenset({"Vessel", "Airplane"})
#: a craft's FtM entity references -> the relationship from the referenced party to the craft
CRAFT_PARTIES = (("owner", "OWNS"), ("operator", "OPERATES_CRAFT"))


def _first(values: list[Any]) -> Any:
    return values[0] if values else None


def craft_properties(label: str, v: EntityValues, t: dict[str, ValueType]) -> dict[str, Any]:
    """The ``label`` (Vessel / Airplane) properties of the FtM entity ``v`` besides its names. A
    flag, tonnage or build date that does not clean is noted in ``v.invalid`` (its line rejected)."""
    flags = v.clean("flag", t["country"]) or v.clean("country", t["country"])
    props: dict[str, Any] = {"flag": _first(flags), "buildDate": _first(v.clean("buildDate", t["date"]))}
    if label == "Vessel":
        imo = [re.sub(r"\D", "", n) for n in v("imoNumber")]
        props.update(imoNumber=next((f"IMO{d}" for d in imo if d), None), mmsi=_first(v("mmsi")),
                     callSign=_first(v("callSign")), vesselType=_first(v("type")),
                     tonnage=_first(v.clean("tonnage", t["float"])),
                     grossRegisteredTonnage=_first(v.clean("grossRegisteredTonnage", t["float"])),
                     pastFlags=v.clean("pastFlags", t["country"]))
    else:
        props.update(registrationNumber=v("registrationNumber"), serialNumber=v("serialNumber"),
                     model=_first(v("model")))
    return props
