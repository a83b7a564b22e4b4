"""The most items each list argument of the schema may hold, checked for a whole operation before
any resolver runs (by :class:`graphapi.schema.limits.CostLimiter`, as it walks the operation).

A list in a variable is not bounded by the document's token limit: one 2 MiB request carried
150,000 strings, and fields that looked each one up or stored it before refusing kept the event
loop busy for seconds (``coTravellers(checkpoints:)``, ``brokers(groupA:)``) or wrote them all
(``share(agencies:)``). :data:`LIST_BOUNDS` names each argument's maximum once (the services'
own limits, which they still check); every other list argument, nested ones included
(``relationships(types:)``), may hold :data:`MAX_LIST_ITEMS`. The refusal is ``BAD_USER_INPUT``
naming the field, the argument, the limit and the count, never the values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, GraphQLList, ListValueNode, NullValueNode, VariableNode, get_nullable_type

from graphapi.errors import InvalidArgument
from graphapi.ingest.options import MAX_AGENCIES
from graphapi.ingest.service import MAX_RECORDS
from graphapi.investigate import expand, path_modes, shared_ids, timeline
from graphapi.schema import security_queries
from graphapi.schema.cost_inputs import CoercedVariables
from graphapi.schema.queries import entity
from graphapi.security import access
from graphapi.security import share as sharing

#: Any list argument not in :data:`LIST_BOUNDS`: ids of a traversal's seeds, labels, relationship
#: types, checkpoints, currencies (ISO 4217 has ~180 codes; a filter names a few).
MAX_LIST_ITEMS = 100
#: ISO 3166-1 alpha-2 has 249 codes.
MAX_COUNTRIES = 250
#: ``(field, argument)`` -> the most items that argument may hold.
LIST_BOUNDS: dict[tuple[str, str], int] = {
    ("entities", "ids"): entity.MAX_IDS,
    ("restrictedLookup", "ids"): security_queries.MAX_IDS,
    ("expand", "ids"): expand.MAX_SEEDS,
    ("edgesAmong", "ids"): expand.MAX_LIMIT,
    ("timeline", "ids"): timeline.MAX_IDS,
    ("sharedIdentifiers", "ids"): shared_ids.MAX_IDS,
    ("paths", "avoidIds"): path_modes.MAX_AVOID,
    ("search", "countries"): MAX_COUNTRIES,
    ("expand", "countries"): MAX_COUNTRIES,
    ("paths", "viaCountries"): MAX_COUNTRIES,
    ("share", "ids"): sharing.MAX_IDS,
    ("unshare", "ids"): sharing.MAX_IDS,
    ("share", "agencies"): MAX_AGENCIES,
    ("unshare", "agencies"): MAX_AGENCIES,
    ("requestAccess", "ids"): access.MAX_IDS,
    ("decideAccessRequest", "ids"): access.MAX_IDS,
    ("ingest", "records"): MAX_RECORDS,
    ("ingest", "sharedWith"): MAX_AGENCIES,
}


def list_bound(field: str, argument: str) -> int:
    """The most items ``field(argument:)`` may hold."""
    return LIST_BOUNDS.get((field, argument), MAX_LIST_ITEMS)


def list_lengths(field_def: Any, node: FieldNode, variables: CoercedVariables) -> Iterator[tuple[str, int]]:
    """``(argument, number of items)`` for each list argument given to ``node``, read from the
    literal, or the variable's list as sent (nothing is coerced: that is per-item work), else its
    value as execution gets it (the document's default). A single value where a list is expected
    counts 1; null, or a variable left out without a default, 0."""
    for arg_node in node.arguments or ():
        arg_def = field_def.args.get(arg_node.name.value)
        if arg_def is None or not isinstance(get_nullable_type(arg_def.type), GraphQLList):
            continue
        value = arg_node.value
        if isinstance(value, ListValueNode):
            yield arg_node.name.value, len(value.values)
        elif isinstance(value, VariableNode):
            yield arg_node.name.value, variables.items_in(value.name.value)
        elif isinstance(value, NullValueNode):  # as a variable sent null
            yield arg_node.name.value, 0
        else:
            yield arg_node.name.value, 1


def check_list_lengths(field: str, field_def: Any, node: FieldNode, variables: CoercedVariables) -> dict[str, int]:
    """The number of items of each of ``node``'s list arguments; InvalidArgument for the first one
    over its :func:`list_bound`."""
    counts = dict(list_lengths(field_def, node, variables))
    for argument, count in counts.items():
        bound = list_bound(field, argument)
        if count > bound:
            raise InvalidArgument(f"{field}({argument}:) may hold at most {bound} items, got {count}")
    return counts
