"""One spelling of a Burmese name for search (``graphapi.ontology.types.myanmar``): Zawgyi-era
text converted by ICU's ``Zawgyi-my``, marks in Unicode's storage order (UTN #11), look-alike
digits among letters read as letters. Names: Min Aung Hlaing and Aung San Suu Kyi, as Unicode
and as Zawgyi fonts stored them."""

from graphapi.ontology.types.myanmar import fold_myanmar, looks_zawgyi

MIN_AUNG_HLAING = "မင်းအောင်လှိုင်"
MIN_AUNG_HLAING_ZAWGYI = "မင္းေအာင္လိႈင္"  # E sign before its consonant, U+1039 for the asat, U+1088
SUU_KYI = "အောင်ဆန်းစုကြည်"
SUU_KYI_ZAWGYI = "ေအာင္ဆန္းစုၾကည္"  # and medial RA U+107E before its consonant


def test_zawgyi_text_of_a_name_folds_to_its_unicode_spelling():
    assert fold_myanmar(MIN_AUNG_HLAING_ZAWGYI) == MIN_AUNG_HLAING
    assert fold_myanmar(SUU_KYI_ZAWGYI) == SUU_KYI


def test_a_unicode_name_is_its_own_spelling():
    assert fold_myanmar(MIN_AUNG_HLAING) == MIN_AUNG_HLAING
    assert not looks_zawgyi(MIN_AUNG_HLAING) and not looks_zawgyi(SUU_KYI)


def test_zawgyi_is_told_by_an_asat_typed_as_virama_or_a_medial_typed_first():
    assert looks_zawgyi(MIN_AUNG_HLAING_ZAWGYI) and looks_zawgyi("ျမ")  # Mya, medial RA first


def test_vowel_signs_typed_in_another_order_fold_to_unicodes_order():
    assert fold_myanmar("မင်းအောင်လှုိင်") == MIN_AUNG_HLAING  # U before I: ု then ိ


def test_an_e_sign_typed_before_its_consonant_goes_after_it():
    assert fold_myanmar("မင်းေအာင်လှိုင်") == MIN_AUNG_HLAING  # a Unicode text in Zawgyi's order
    assert fold_myanmar("ေမ") == "မေ"  # May: Zawgyi of an open syllable, the same text


def test_an_e_sign_typed_before_a_medial_goes_after_it():
    assert fold_myanmar("ကေြ") == "ကြေ"


def test_the_digit_zero_among_letters_is_the_letter_wa():
    assert fold_myanmar("ဦး၀င်းထွန်း") == "ဦးဝင်းထွန်း"  # U Win Tun, the 0 that looks like WA


def test_myanmar_digits_alone_stay_digits():
    assert fold_myanmar("၁၂၀၇") == "၁၂၀၇"


def test_text_without_a_myanmar_character_is_untouched():
    assert fold_myanmar("สมศักดิ์ Somsak") == "สมศักดิ์ Somsak"


def test_a_zawgyi_word_of_one_syllable_folds_to_unicode():
    assert fold_myanmar("ေအာင္") == "အောင်"  # Aung: E first, asat as virama at the end


def test_a_unicode_prefix_ending_before_its_stacked_consonant_is_no_zawgyi():
    # the search prefixes of Kanbawza (KBZ) Bank, ကမ္ဘောဇဘဏ်: "ကမ္" is typed before "ဘ"
    assert not looks_zawgyi("ကမ္") and fold_myanmar("ကမ္") == "ကမ္"
    assert fold_myanmar("ကမ္ဘောဇဘဏ်") == "ကမ္ဘောဇဘဏ်"


def test_a_kinzi_keeps_its_place_before_the_other_marks():
    assert fold_myanmar("သင်္ဘော") == "သင်္ဘော"  # ship
    assert fold_myanmar("အင်္ဂလိပ်") == "အင်္ဂလိပ်"  # English


def test_icu_words_of_a_stacked_cluster_joined_by_blanks_are_no_zawgyi():
    # ICU cuts ကမ္ဘောဇဘဏ် as က မ္ ဘော ဇ ဘဏ်; the search text joins them with blanks
    assert fold_myanmar("က မ္ ဘော ဇ ဘဏ်") == "က မ္ ဘော ဇ ဘဏ်"
