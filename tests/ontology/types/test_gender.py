from graphapi.ontology.types import get_type

gender = get_type("gender")


def test_gender_clean_ofac_remarks_spelling():
    assert gender.clean("Male") == "male"
    assert gender.clean("Female") == "female"


def test_gender_clean_letters_and_words():
    assert gender.clean("M") == "male"
    assert gender.clean("f") == "female"
    assert gender.clean("X") == "other"
    assert gender.clean("non-binary") == "other"


def test_gender_clean_regional_words():
    assert gender.clean("\u7537") == "male"
    assert gender.clean("\u0e2b\u0e0d\u0e34\u0e07") == "female"


def test_gender_clean_unknown_is_none():
    assert gender.clean("unknown") is None
    assert gender.clean("") is None
