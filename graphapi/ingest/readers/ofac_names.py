"""What an SDN entry's name says: the Organization subtype an entity gets from its Target Type and
name (a bank, an armed group, a company by its legal-form words), and OFAC's ``SURNAME, Given``
written given name first for search.
"""

from __future__ import annotations

import re

from graphapi.ingest.readers.ofac_remarks import Remarks

#: Words of a company's name (legal forms, trades): an entity named with one is a Company.
COMPANY_WORDS = re.compile(
    r"\b(CO|COMPANY|LTD|LIMITED|INC|CORP|CORPORATION|LLC|PLC|PTE|SDN BHD|BHD|GMBH|SA|JSC|HOLDINGS?|"
    r"GROUP|ENTERPRISES?|INVESTMENTS?|TRADING|DEVELOPMENT|INTERNATIONAL|TECHNOLOGY|RESORTS?|"
    r"HOTEL|BANK|FUND|CAPITAL|PROPERTY|REAL ESTATE)\b"
)


def given_first(name: str) -> str | None:
    """``"CHEN, Zhi"`` -> ``"Zhi CHEN"`` (OFAC writes people SURNAME, Given); else ``None``."""
    if name.count(",") != 1:
        return None
    surname, given = (p.strip() for p in name.split(","))
    return f"{given} {surname}" if surname and given else None


def org_label(name: str, remarks: Remarks) -> str:
    """The Organization subtype for an SDN entity from its Target Type and name."""
    target = " ".join(remarks.target_type).lower()
    upper = name.upper()
    if "armed group" in target or re.search(r"\bARMY\b|\bARMED\b", upper):
        return "ArmedGroup"
    if "financial institution" in target or re.search(r"\bBANK\b", upper):
        return "Bank"
    if "criminal organization" in target or "CRIMINAL ORGANIZATION" in upper:
        return "CriminalOrganization"
    if COMPANY_WORDS.search(upper) or remarks.registration or remarks.tax or remarks.org_type:
        return "Company"
    return "Organization"
