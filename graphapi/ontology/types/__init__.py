"""Value types: the only place property values are normalised (see registry.py)."""

from graphapi.ontology.types.base import Canonical, ValueType
from graphapi.ontology.types.country import country_name
from graphapi.ontology.types.date import parse_range, precision
from graphapi.ontology.types.date_range import enclosing, split_range
from graphapi.ontology.types.iban import iban_country
from graphapi.ontology.types.imei import luhn_check_digit, tac
from graphapi.ontology.types.phone import line_type, numbers_in, region
from graphapi.ontology.types.registry import TYPES, clean_value, get_type
from graphapi.ontology.types.wallet import clean_wallet, eip55, network_of

__all__ = [
    "TYPES", "Canonical", "ValueType", "clean_value", "clean_wallet", "country_name", "eip55",
    "enclosing", "get_type", "iban_country", "line_type", "luhn_check_digit", "network_of",
    "numbers_in", "parse_range", "precision", "region", "split_range", "tac",
]
