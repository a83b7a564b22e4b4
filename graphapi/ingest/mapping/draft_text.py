"""How a mapping draft (:mod:`graphapi.ingest.mapping.draft`) writes a file's own text into its
YAML: a column's name as a scalar, and every line of the draft as one line."""

from __future__ import annotations

import json
import re

#: What YAML reads as a line break: raw in a header cell's text, a comment naming the column ended
#: there and the rest of the cell became the draft's own keys (attack round 52, 4).
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]")


def yaml_text(text: str) -> str:
    """``text`` as a YAML scalar inside a flow mapping: bare if it is a plain word, else quoted."""
    return text if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text) else json.dumps(text, ensure_ascii=False)


def one_line(line: str) -> str:
    """``line`` of the draft with each line break written as its escape (``\\u2028``): seen in a
    comment, the same character in a double-quoted scalar."""
    return _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
