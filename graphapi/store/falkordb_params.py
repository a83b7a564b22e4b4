"""The ``CYPHER name=value ...`` parameter header of a FalkorDB query, rendered fast.

FalkorDB takes query parameters as Cypher literals in a header before the statement. The
``falkordb`` client renders them with a Python walk over every value (about 19 µs for a bulk
loader's relationship row, a fifth of the loader's time). Cypher literals of strings, numbers,
booleans, null and lists are written as JSON writes them, so :func:`params_header` lets
``orjson`` write the header and only rewrites map keys (JSON's ``"key":`` is Cypher's
`` `key`: ``).

Where JSON and FalkorDB's Cypher differ it declines (returns ``None``) and the client's own
renderer is used: a map key that is not a plain identifier, a value JSON cannot write (bytes,
dates, NaN), and any string JSON writes with a ``\\uXXXX`` escape (control characters), which
FalkorDB's lexer keeps literally. The escapes JSON does use (``\\" \\\\ \\n \\r \\t \\b \\f``)
are read by FalkorDB as JSON means them (checked against the server in the tests).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from itertools import chain, repeat
from typing import Any

import numpy as np
import orjson

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: A ``\\uXXXX`` escape: a backslash not itself escaped (an even run of backslashes before it).
_UNICODE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u")
#: orjson writes what ``json`` writes for str, int, float, bool, None, list, tuple and dict; the
#: types it would write and ``json`` would not (dates, dataclasses, subclasses) raise instead,
#: so they decline as before. It is ~15x faster than the C ``json`` encoder on loader rows.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS

#: Values with no map inside and nothing JSON writes differently: a depth of only these ends the walk.
_SCALARS = {str, int, bool, type(None)}
_LIST = {list}
_QUOTE, _COLON, _BACKTICK = ord('"'), ord(":"), ord("`")


def _map_keys(values: list[Any], keys: set[str]) -> bool:
    """Add the keys of every map inside the values ``values`` to ``keys``; False if a float
    inside is not finite (orjson writes NaN and infinities as ``null``, which would change the
    value).

    A batch's rows are walked a column at a time, not value by value: the types of a column
    are taken in one pass (``map(type, ...)``, in C), the keys of all its maps in one set union,
    and then each key's column (``map(dict.get, ...)``) and the items of all its lists are walked
    the same way. Rows of one shape make columns of one type (a column of strings ends there),
    so a batch of 5,000 rows costs a few C loops per key, not a Python call per value (the
    value-by-value walk was a third of the header's cost)."""
    types = set(map(type, values))
    if types <= _SCALARS:
        return True
    if float in types and not all(math.isfinite(v) for v in values if type(v) is float):
        return False
    if dict in types:
        maps = values if len(types) == 1 else [v for v in values if type(v) is dict]
        inner = set().union(*maps)
        keys |= inner
        for key in inner:  # a map without the key gives None, which changes nothing
            if not _map_keys(list(map(dict.get, maps, repeat(key))), keys):
                return False
    if list in types or tuple in types:
        seqs = values if types == _LIST else [v for v in values if type(v) is list or type(v) is tuple]
        return _map_keys(list(chain.from_iterable(seqs)), keys)
    return True


def params_header(params: Mapping[str, Any]) -> str | None:
    """``"CYPHER a=1 rows=[{`id`:\\"x\\"}] "`` for ``params``, or ``None`` where the JSON form
    would not mean the same to FalkorDB (then render with the client's renderer)."""
    keys: set[str] = set()  # map keys only: a parameter's own name is written as name=, not "name":
    if not _map_keys(list(params.values()), keys):
        return None  # NaN / Infinity: not JSON
    if not all(type(k) is str and _IDENTIFIER.fullmatch(k) for k in chain(params, keys)):
        return None
    try:
        data = b" ".join([name.encode() + b"=" + orjson.dumps(value, option=_OPTIONS)
                          for name, value in params.items()])
    except TypeError:  # bytes, dates, an int past 64 bits: not JSON as FalkorDB reads it
        return None
    if b"\\u" in data and _UNICODE_ESCAPE.search(data.decode()):
        return None  # a control character JSON writes as \\uXXXX, which FalkorDB reads literally
    if not keys:
        return f"CYPHER {data.decode()} "
    if b"\\" not in data:
        return f"CYPHER {_backtick_all_keys(data)} "
    text = data.decode()
    for key in keys:
        # Every '"' inside a JSON string is escaped, so an unescaped '"key":' is a map key.
        text = text.replace(f'"{key}":', f"`{key}`:")
    return f"CYPHER {text} "


def _backtick_all_keys(data: bytes) -> str:
    """JSON ``data`` with no backslash in it, every map key's two quotes made backticks, in one
    pass over the bytes (numpy; a ``str.replace`` per key was 70% of a 5,000-row header).

    Without a backslash no string holds a quote, so the quotes open and close strings in turn,
    and a string closed right before ``:`` is a map key. Quote and backtick are one byte each, so
    the UTF-8 of any other text is untouched."""
    buf = bytearray(data)
    text = np.frombuffer(buf, dtype=np.uint8)  # a view: setting it sets buf
    quotes = np.flatnonzero(text == _QUOTE)
    closing = quotes[1::2]  # an opening quote may be followed by ':' too (the string ":b")
    after = np.minimum(closing + 1, len(buf) - 1)  # a quote that ends the text is followed by itself
    keys = np.flatnonzero(text[after] == _COLON)  # the k-th string is a key: quotes 2k and 2k + 1
    text[closing[keys]] = _BACKTICK
    text[quotes[2 * keys]] = _BACKTICK
    return buf.decode()
