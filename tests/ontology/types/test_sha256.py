import hashlib

from graphapi.ontology.types import get_type

sha256 = get_type("sha256")
EMPTY = hashlib.sha256(b"").hexdigest()


def test_sha256_clean_lower_cases_hex():
    assert sha256.clean(EMPTY.upper()) == EMPTY


def test_sha256_clean_drops_prefix_and_whitespace():
    assert sha256.clean(f"  sha256:{EMPTY}\n") == EMPTY


def test_sha256_clean_rejects_wrong_length_and_non_hex():
    assert sha256.clean(EMPTY[:-1]) is None
    assert sha256.clean(EMPTY[:-1] + "g") is None
    assert sha256.clean(hashlib.md5(b"").hexdigest()) is None
