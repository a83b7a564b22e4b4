"""Value types: the only place property values are normalised (see registry.py)."""

from graphapi.ontology.types.base import Canonical, ValueType
from graphapi.ontology.types.country import country_name
from graphapi.ontology.types.date import parse_range, precision
from graphapi.ontology.types.iban import iban_country
from graphapi.ontology.types.imei import luhn_check_digit, tac
from graphapi.ontology.types.phone import line_type, region
from graphapi.ontology.types.registry import TYPES, clean_value, get_type

__all__ = [
    "TYPES", "Canonical", "ValueType", "clean_value", "country_name", "get_type",
    "iban_country", "line_type", "luhn_check_digit", "parse_range", "precision", "region", "tac",
]
