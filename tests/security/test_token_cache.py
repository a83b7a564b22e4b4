"""A bearer token that verified is not checked again on each request (issue 14), but never past its
expiry as the full check sees it, never longer than a minute, and one that failed is checked again."""

from __future__ import annotations

import time

import pytest

from graphapi.security import tokens
from graphapi.security.tokens import TokenConfig, TokenError, TokenVerifier, mint_token

SECRET = "test-secret-of-at-least-32-bytes-long!!"


def _counting(verifier: TokenVerifier) -> list[str]:
    checked: list[str] = []
    check = verifier._check

    def counted(token: str):
        checked.append(token)
        return check(token)

    verifier._check = counted  # type: ignore[method-assign]
    return checked


def test_a_verified_token_is_not_checked_again_and_gives_the_same_principal():
    verifier = TokenVerifier(TokenConfig(secret=SECRET))
    checked = _counting(verifier)
    token = mint_token("alice", secret=SECRET, agency="TH-DSI", roles=["analyst"])
    first, second = verifier.verify(token), verifier.verify(token)
    assert first == second and (first.subject, first.agency) == ("alice", "TH-DSI")
    assert checked == [token]


def test_a_kept_token_is_refused_once_it_expires():
    verifier = TokenVerifier(TokenConfig(secret=SECRET, leeway_s=0))
    token = mint_token("alice", secret=SECRET, ttl_s=1)
    verifier.verify(token)
    time.sleep(2.1)
    with pytest.raises(TokenError, match="expired"):
        verifier.verify(token)


def test_a_kept_token_is_checked_again_after_a_minute(monkeypatch):
    verifier = TokenVerifier(TokenConfig(secret=SECRET))
    checked = _counting(verifier)
    token = mint_token("alice", secret=SECRET, ttl_s=3600)
    verifier.verify(token)
    later = time.time() + tokens.VERIFIED_KEEP_S + 1
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    verifier.verify(token)
    assert checked == [token, token]


def test_a_token_that_failed_is_checked_again_and_fails_again():
    verifier = TokenVerifier(TokenConfig(secret=SECRET))
    checked = _counting(verifier)
    forged = mint_token("alice", secret="another-secret-of-at-least-32-bytes!!")
    for _ in range(2):
        with pytest.raises(TokenError, match="invalid token"):
            verifier.verify(forged)
    assert checked == [forged, forged]


def test_a_token_for_another_audience_is_refused_though_the_same_text_verified_elsewhere():
    token = mint_token("alice", secret=SECRET, audience="lintas")
    TokenVerifier(TokenConfig(secret=SECRET, audience="lintas")).verify(token)
    with pytest.raises(TokenError, match="audience"):
        TokenVerifier(TokenConfig(secret=SECRET, audience="other")).verify(token)


def test_at_most_verified_max_tokens_are_kept_the_oldest_going_first(monkeypatch):
    monkeypatch.setattr(tokens, "VERIFIED_MAX", 3)
    verifier = TokenVerifier(TokenConfig(secret=SECRET))
    checked = _counting(verifier)
    minted = [mint_token(f"user{i}", secret=SECRET) for i in range(4)]
    for token in minted:
        verifier.verify(token)
    assert len(verifier._verified) == 3
    verifier.verify(minted[3])  # kept
    verifier.verify(minted[0])  # the oldest, dropped: checked again
    assert checked == [*minted, minted[0]]
