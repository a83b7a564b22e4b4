"""Opaque ``vid:`` ids for victims' nodes (graphapi/security/victim_ids.py)."""

import os

import pytest

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.args import check_id
from graphapi.security.victim_ids import VictimIds, naming_given_ids, victim_ids_for
from graphapi.settings import Neo4jSettings, Settings


def test_victim_id_token_hides_the_id_and_resolves_back():
    ids = VictimIds("secret")
    token = ids.opaque("per-nguyen-van-an")
    assert token.startswith("vid:") and "nguyen" not in token.lower()
    assert token == ids.opaque("per-nguyen-van-an")
    assert ids.resolve(token) == "per-nguyen-van-an"


def test_victim_id_tokens_of_every_id_up_to_256_bytes_are_the_same_length():
    ids = VictimIds("secret")
    lengths = {len(ids.opaque(i)) for i in ("p", "phone:+84912345678", "per-" + "x" * 28, "per-" + "x" * 60,
                                            "per-" + "ễ" * 84)}
    assert len(lengths) == 1


def test_victim_id_tokens_of_long_ids_round_trip_and_pass_as_ids():
    ids = VictimIds("secret")
    for real in ("per-" + "x" * 300, "per-" + "x" * 1996, "ftm-" + "ễ" * 1332):
        token = ids.opaque(real)
        assert ids.resolve(check_id("id", token)) == real
    assert len(ids.opaque("per-" + "x" * 300)) == len(ids.opaque("per-" + "x" * 1000))


def test_victim_id_other_values_and_foreign_tokens_resolve_to_themselves():
    ids = VictimIds("secret")
    foreign = VictimIds("other secret").opaque("per-nguyen-van-an")
    assert ids.resolve("per-somchai") == "per-somchai"
    assert ids.resolve(foreign) == foreign
    assert ids.resolve("vid:not base64!") == "vid:not base64!"


def test_victim_id_key_is_generated_once_into_the_data_dir(tmp_path):
    settings = Settings(data_dir=tmp_path, neo4j=Neo4jSettings(uri=None))
    token = victim_ids_for(settings).opaque("per-x")
    key = tmp_path / "victim-id.key"
    assert os.stat(key).st_mode & 0o777 == 0o600 and len(key.read_text()) == 64
    assert victim_ids_for(settings).opaque("per-x") == token


def test_victim_id_key_from_settings_wins(tmp_path):
    settings = Settings(data_dir=tmp_path, victim_id_key="k", neo4j=Neo4jSettings(uri=None))
    assert victim_ids_for(settings).opaque("per-x") == VictimIds("k").opaque("per-x")
    assert not (tmp_path / "victim-id.key").exists()


def test_errors_name_the_token_the_caller_gave_not_the_id_behind_it():
    with pytest.raises(NotFound) as caught, naming_given_ids(["vid:abc"], ["per-nguyen-van-an"]):
        raise NotFound.no_entity("per-nguyen-van-an")
    assert str(caught.value) == "no entity with id 'vid:abc'"


def test_an_error_text_holding_the_id_behind_a_token_is_not_rewritten():
    """Only the error's own id is named as given: text that merely holds a victim's real id (a
    guess echoed back) reads as it would for any other guess."""
    with pytest.raises(InvalidArgument) as caught, naming_given_ids(["vid:abc"], ["per-nguyen-van-an"]):
        raise InvalidArgument("since must be a date, got 'per-nguyen-van-an'")
    assert str(caught.value) == "since must be a date, got 'per-nguyen-van-an'"


def test_errors_that_cut_a_long_id_name_the_token_not_the_ids_first_characters():
    real = "per-" + "nguyen-van-an-" * 8  # over the 80 characters an error shows of an id
    with pytest.raises(NotFound) as caught, naming_given_ids(["vid:abc"], [real]):
        raise NotFound.no_entity(real)
    assert str(caught.value) == "no entity with id 'vid:abc'"
