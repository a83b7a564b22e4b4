import hashlib

from graphapi.ontology.types import eip55, get_type, network_of
from graphapi.ontology.types.wallet import keccak256, sponge256

wallet = get_type("wallet")
chain = get_type("chain")

OFAC_ETH = "0xd5ED34b52AC4ab84d8FA8A231a3218bbF01Ed510"  # OFAC SDN, FUNNULL TECHNOLOGY INC.
OFAC_TRON = "TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8"
OFAC_P2SH = "3EynPFpoGTPxU9m5bPaEDEUxUanzh7vgQP"
OFAC_BECH32 = "bc1qeth6n6ryxexvkx34wnx3nuynun4474h3j0gkhw"
GENESIS_P2PKH = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def test_wallet_evm_address_is_lower_case_whatever_case_or_code_it_is_written_with():
    canonical = "0xd5ed34b52ac4ab84d8fa8a231a3218bbf01ed510"
    assert wallet.clean(OFAC_ETH, chain="ETH") == canonical
    assert wallet.clean(canonical, chain="eth") == canonical
    assert wallet.clean(OFAC_ETH.upper().replace("0X", "0x"), chain="USDT") == canonical
    assert wallet.clean(OFAC_ETH) == canonical


def test_wallet_evm_mixed_case_that_is_not_the_eip55_checksum_is_refused():
    typo = OFAC_ETH.replace("d5ED", "d5Ed")
    assert wallet.clean(typo, chain="ETH") is None
    assert wallet.clean(typo) is None


def test_wallet_eip55_gives_the_checksummed_forms_of_the_eip_test_vectors():
    for address in ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
                    OFAC_ETH):
        assert eip55(address.lower()) == address


def test_wallet_keccak256_is_ethereums_hash_not_sha3():
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    for data in (b"", b"abc", bytes(135), bytes(136), bytes(300)):  # around the 136-byte rate
        assert sponge256(data, 0x06) == hashlib.sha3_256(data).digest()


def test_wallet_tron_address_is_the_same_under_trx_and_usdt():
    assert wallet.clean(OFAC_TRON, chain="TRX") == OFAC_TRON
    assert wallet.clean(OFAC_TRON, chain="usdt") == OFAC_TRON
    assert wallet.clean(OFAC_TRON) == OFAC_TRON


def test_wallet_tron_address_with_a_wrong_character_is_refused_under_trx():
    assert wallet.clean(OFAC_TRON[:-1] + "9", chain="TRX") is None
    assert wallet.clean(OFAC_TRON.lower(), chain="TRX") is None


def test_wallet_bitcoin_base58_and_bech32_addresses():
    assert wallet.clean(OFAC_P2SH, chain="XBT") == OFAC_P2SH
    assert wallet.clean(GENESIS_P2PKH, chain="BTC") == GENESIS_P2PKH
    assert wallet.clean(OFAC_BECH32.upper(), chain="XBT") == OFAC_BECH32
    assert wallet.clean(OFAC_BECH32[:-1] + "q", chain="XBT") is None


def test_wallet_cut_bitcoin_address_is_refused():
    assert wallet.clean("3CuqLrZWn5oCe6DR", chain="XBT") is None  # OFAC's row cut at 1000 characters


def test_wallet_text_that_is_no_address_is_refused_with_or_without_a_code():
    assert wallet.clean("notawallet", chain="XBT") is None
    assert wallet.clean("notawallet") is None
    assert wallet.clean("") is None and wallet.clean(None) is None


def test_wallet_address_of_another_network_than_its_code_is_refused():
    assert wallet.clean(OFAC_ETH, chain="XBT") is None
    assert wallet.clean(OFAC_TRON, chain="ETH") is None
    assert wallet.clean(OFAC_P2SH, chain="TRX") is None


def test_wallet_other_chains_keep_their_address_as_written():
    monero = "4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge"
    assert wallet.clean(monero, chain="XMR") == monero
    aptos = "0x" + "AB" * 32
    assert wallet.clean(aptos, chain="APT") == "0x" + "ab" * 32


def test_wallet_network_is_named_by_the_address():
    assert network_of("0xd5ed34b52ac4ab84d8fa8a231a3218bbf01ed510", "USDT") == "ethereum"
    assert network_of(OFAC_TRON, "USDT") == network_of(OFAC_TRON, "TRX") == "tron"
    assert network_of(OFAC_P2SH, "XBT") == network_of(OFAC_BECH32) == "bitcoin"
    assert network_of("4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx", "XMR") == "xmr"
    assert network_of("4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx") is None


def test_chain_code_is_upper_cased_as_written():
    assert chain.clean(" usdt ") == "USDT"
    assert chain.clean("usdt  (trc20)") == "USDT (TRC20)"
    assert chain.clean("XBT") == "XBT"


def test_chain_code_that_is_no_code_is_refused():
    assert chain.clean("") is None
    assert chain.clean("#!") is None
    assert chain.clean("X" * 33) is None
