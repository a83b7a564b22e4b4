"""Gazetteer columns in ``lintas mapping init``: a checkpoint or compound column's entity, which
resolves to the gazetteer's node, and the commented rules showing how a bank column keys its
accounts (see :mod:`graphapi.ingest.mapping.draft`)."""

from __future__ import annotations

import re

#: a gazetteer place column's entity in the draft: its label and the prefix of a partner's own id
#: (never bcp- or cmp-: the gazetteers' own, see graphapi.ingest.reference_data)
PLACES = {"checkpoint": ("BorderCheckpoint", "checkpoint"), "compound": ("Compound", "compound")}


def place_entity(lines: list[str], c, made: list[str], text) -> str:
    """Add to ``lines`` the entity of a checkpoint or compound column: its id the gazetteer's node
    (``resolve:``), its name the text as written (``text`` quotes a column name); returns the
    entity's name."""
    label, prefix = PLACES[c.gazetteer or ""]
    ent = re.sub(r"[^a-z0-9]+", "_", c.name.lower()).strip("_") or c.gazetteer or "place"
    ent = ent if ent not in made else f"{ent}_{c.gazetteer}"
    col = text(c.name)
    pick = ', steps: [{pick: {sep: ",", index: 0}}]' if c.before_comma else ""
    spec = f"{{column: {col}{pick}, resolve: {c.gazetteer}}}"
    lines += [f"  {ent}:", f"    label: {label}", f"    id: {spec}   # the gazetteer's node by any of its names",
              "    # TODO: a name it does not know makes no node; to keep it, flagged unresolvedPlace, give the",
              f"    # partner's own id next: id: [{spec}, {{template: \"{prefix}-{{CODE_COLUMN}}\"}}]",
              "    properties:", f"      name: {{column: {col}}}"]
    return ent


def bank_hint(banks: list, text) -> list[str]:
    """Comment lines showing how bank columns ``banks`` key accounts and link them to their banks
    (``text`` quotes a column name)."""
    if not banks:
        return []
    first = text(banks[0].name)
    field = banks[0].name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_ ]*", banks[0].name) else "BANK_COLUMN"
    return ["# TODO: bank columns (names, scripts or BICs the banks gazetteer knows): a domestic account is keyed by",
            "# country, bank and number and linked to its bank's node (AT_BANK; docs/mappings.md#gazetteers), e.g.:",
            "# columns:", *[f"#   {text(c.name)}: {{resolve: bank}}" for c in banks],
            f"#   ACCOUNT_COLUMN: {{account: {{bank: {first}}}}}   # numbers as the bank's format writes them",
            "# entities:", "#   ACCOUNT:", "#     label: BankAccount", "#     properties:",
            '#       accountKey: {template: "{COUNTRY_COLUMN:country}:{' + field + '}:{ACCOUNT_COLUMN:accountNumber}"}',
            f"#       bankCode: {{column: {first}}}"]
