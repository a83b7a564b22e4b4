"""A bank's branch abroad has its own BIC (Bangkok Bank in Phnom Penh: BKKBKHPP), listed in the banks
gazetteer after its head office's. An account there keys by that BIC whether a feed names the bank by
its name or by the branch's BIC (attack round 30c, left open in 31: KH:BKKBTHBK by name and
KH:BKKBKHPP by BIC made one account two nodes)."""
from graphapi.ingest.identity.accounts import account_key, normal_account_key


def test_one_cambodian_branch_account_by_name_and_by_bic_is_one_key():
    assert account_key("KH", "Bangkok Bank", "1234567890") == account_key("KH", "BKKBKHPP", "1234567890") == (
        "KH:BKKBKHPP:1234567890")


def test_a_branch_abroad_is_never_the_head_office_nor_a_thai_account():
    assert account_key("TH", "Bangkok Bank", "1234567890") == account_key("TH", "BBL", "1234567890") == (
        "TH:BKKBTHBK:1234567890")
    assert account_key("KH", "Bangkok Bank", "1234567890") != account_key("TH", "Bangkok Bank", "1234567890")


def test_a_row_without_a_country_keys_a_branch_bic_by_the_branchs_country():
    assert account_key(None, "BKKBKHPP", "1234567890") == "KH:BKKBKHPP:1234567890"
    assert account_key(None, "Bangkok Bank", "1234567890") == "TH:BKKBTHBK:1234567890"


def test_a_mapped_key_written_with_the_banks_alias_in_cambodia_is_the_branchs():
    assert normal_account_key("KH:Bangkok Bank:123-456-7890") == "KH:BKKBKHPP:1234567890"


def test_a_bank_without_a_branch_in_the_country_keys_by_its_head_office():
    assert account_key("KH", "Kasikornbank", "1234567890") == "KH:KASITHBK:1234567890"
