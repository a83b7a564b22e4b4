"""All value types, one instance each, addressed by the names used in the ontology YAML.

Like FollowTheMoney's ``types/registry.py``: callers never construct types, they ask by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from graphapi.ontology.errors import OntologyError
from graphapi.ontology.types.base import Canonical, ValueType
from graphapi.ontology.types.bic import BicType
from graphapi.ontology.types.country import CountryType
from graphapi.ontology.types.currency import CurrencyType
from graphapi.ontology.types.date import DateType
from graphapi.ontology.types.date_range import DateRangeType
from graphapi.ontology.types.datetime import DateTimeType
from graphapi.ontology.types.document import AccountNumberType, DocumentNumberType
from graphapi.ontology.types.domain import DomainType
from graphapi.ontology.types.gender import GenderType
from graphapi.ontology.types.iban import IbanType
from graphapi.ontology.types.identifier import IdentifierType
from graphapi.ontology.types.imei import ImeiType
from graphapi.ontology.types.name import NameType
from graphapi.ontology.types.phone import PhoneType
from graphapi.ontology.types.quantity import AmountType, DurationType
from graphapi.ontology.types.scalars import (
    BooleanType,
    EnumType,
    FloatType,
    IntegerType,
    StringType,
    TextType,
)
from graphapi.ontology.types.sha256 import Sha256Type
from graphapi.ontology.types.wallet import ChainType, WalletType

#: Type name -> its one instance (read-only).
TYPES: Mapping[str, ValueType] = MappingProxyType(
    {
        t.name: t
        for t in (
            StringType(), TextType(), NameType(), IdentifierType(), EnumType(), IntegerType(),
            FloatType(), BooleanType(), DateType(), DateTimeType(), CountryType(), GenderType(),
            PhoneType(), ImeiType(), IbanType(), BicType(), DomainType(), Sha256Type(),
            DateRangeType(), WalletType(), ChainType(), DocumentNumberType(), AccountNumberType(),
            DurationType(), AmountType(), CurrencyType(),
        )
    }
)


def get_type(name: str) -> ValueType:
    """Return the value type called ``name`` ("phone"); raises :class:`OntologyError` if unknown."""
    try:
        return TYPES[name]
    except KeyError:
        raise OntologyError(f"unknown value type {name!r}") from None


def clean_value(type_name: str, value: Any, **hints: Any) -> Canonical | None:
    """Shortcut for ``get_type(type_name).clean(value, **hints)``."""
    return get_type(type_name).clean(value, **hints)
