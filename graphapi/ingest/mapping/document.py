"""A mapping file's YAML, read with its aliases bounded.

YAML anchors and aliases are welcome in a mapping (a transfer's money properties shared by two
relationships), but nine nested aliases of nine make 387 million values out of a 1 kB file: the
mapping's checks walked them for minutes (feeds trial, H6). The document is composed first (its
aliases still shared), its size as written out is counted once per node, and a document that
would be larger than :data:`MAX_VALUES`, or that holds itself, is refused before it is built.
"""

from __future__ import annotations

from typing import Any

import yaml

from graphapi.ingest.mapping.errors import MappingError

#: the values a mapping may hold with its aliases written out; the largest shipped mapping holds
#: under 2,000, a generous value map a few thousand
MAX_VALUES = 100_000


def _expanded_size(root: yaml.Node) -> int:
    """How many values ``root`` holds with every alias written out, counting each shared node
    once (memo), without recursion (a deep document is no Python stack overflow here). Raises
    MappingError for a node that holds itself (``&a [*a]``) or a size past :data:`MAX_VALUES`."""
    size: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in size:
            continue
        kids = _children(node)
        if children_done:
            open_nodes.discard(key)
            size[key] = total = 1 + sum(size[id(k)] for k in kids)
            if total > MAX_VALUES:
                raise MappingError(f"its YAML aliases expand to more than {MAX_VALUES:,} values; "
                                   "write the values out or share fewer of them")
            continue
        if key in open_nodes:
            raise MappingError("a YAML alias refers to a value that holds it; write the values out")
        open_nodes.add(key)
        stack.append((node, True))
        for kid in kids:
            if id(kid) in open_nodes:
                raise MappingError("a YAML alias refers to a value that holds it; write the values out")
            if id(kid) not in size:
                stack.append((kid, False))
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def read_mapping_yaml(text: str) -> Any:
    """The YAML document of a mapping (None if it is empty), as ``yaml.safe_load`` reads it,
    refused with MappingError when its aliases expand past :data:`MAX_VALUES` values."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
