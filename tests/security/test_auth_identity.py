"""Identity: bearer JWTs (HS256, RS256 from JWKS), hashed API keys, the authenticator."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from graphapi.security.apikeys import ApiKeyError, ApiKeyStore
from graphapi.security.auth import Authenticator, Unauthenticated, demo_banner
from graphapi.security.principal import DEMO_PRINCIPAL
from graphapi.security.tokens import TokenConfig, TokenError, TokenVerifier, mint_token
from graphapi.settings import Settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

SECRET = "test-secret-of-at-least-32-bytes-long!!"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge_hs256(claims: dict, key: bytes) -> str:
    signing = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + _b64(json.dumps(claims).encode())
    return signing + "." + _b64(hmac.new(key, signing.encode(), hashlib.sha256).digest())


def _hs(**kw) -> str:
    return mint_token("alice", secret=SECRET, agency="TH-DSI", country="TH", roles=["analyst", "auditor"], **kw)


@pytest.fixture(scope="module")
def rsa_keys(tmp_path_factory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="k1", alg="RS256", use="sig")
    path = tmp_path_factory.mktemp("jwks") / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    return pem, path


def test_token_hs256_gives_agency_country_and_roles():
    p = TokenVerifier(TokenConfig(secret=SECRET)).verify(_hs())
    assert (p.subject, p.agency, p.country, p.roles) == ("alice", "TH-DSI", "TH", frozenset({"analyst", "auditor"}))
    assert not p.anonymous


def test_token_expired_is_refused():
    token = _hs(ttl_s=10, now=time.time() - 3600)
    with pytest.raises(TokenError, match="expired"):
        TokenVerifier(TokenConfig(secret=SECRET)).verify(token)


def test_token_for_another_audience_is_refused():
    with pytest.raises(TokenError, match="audience"):
        TokenVerifier(TokenConfig(secret=SECRET)).verify(_hs(audience="someone-else"))


def test_token_without_exp_is_refused():
    token = jwt.encode({"sub": "alice", "aud": "lintas"}, SECRET, algorithm="HS256")
    with pytest.raises(TokenError, match="exp"):
        TokenVerifier(TokenConfig(secret=SECRET)).verify(token)


def test_token_with_wrong_secret_is_refused():
    token = mint_token("alice", secret="another-secret-of-at-least-32-bytes!!")
    with pytest.raises(TokenError, match="invalid"):
        TokenVerifier(TokenConfig(secret=SECRET)).verify(token)


def test_token_alg_none_is_refused():
    token = jwt.encode({"sub": "alice", "aud": "lintas", "exp": time.time() + 60}, None, algorithm="none")
    with pytest.raises(TokenError, match="not accepted"):
        TokenVerifier(TokenConfig(secret=SECRET)).verify(token)


def test_token_unknown_roles_are_dropped():
    token = jwt.encode(
        {"sub": "bob", "aud": "lintas", "exp": time.time() + 60, "roles": "analyst superuser"},
        SECRET, algorithm="HS256",
    )
    assert TokenVerifier(TokenConfig(secret=SECRET)).verify(token).roles == frozenset({"analyst"})


def test_token_rs256_from_jwks_file(rsa_keys):
    pem, path = rsa_keys
    token = mint_token("carol", private_key_pem=pem, kid="k1", agency="VN-MPS")
    p = TokenVerifier(TokenConfig(jwks_file=path)).verify(token)
    assert p.subject == "carol" and p.agency == "VN-MPS"


def test_token_hs256_signed_with_the_public_jwk_is_refused(rsa_keys):
    """Algorithm confusion: an RS256-only server must not accept HS256 at all."""
    _pem, path = rsa_keys
    token = _forge_hs256({"sub": "mallory", "aud": "lintas", "exp": int(time.time()) + 60}, path.read_bytes())
    with pytest.raises(TokenError, match="not accepted"):
        TokenVerifier(TokenConfig(jwks_file=path)).verify(token)


def test_apikey_round_trip_and_only_the_digest_is_stored(tmp_path):
    store = ApiKeyStore(tmp_path / "keys.json")
    key, rec = store.create("loader-1", agency="VN-MPS", roles=["loader"])
    assert key.startswith("lnt_") and key.split("_", 2)[2] not in (tmp_path / "keys.json").read_text()
    p = ApiKeyStore(tmp_path / "keys.json").verify(key)
    assert (p.subject, p.agency, p.roles) == ("loader-1", "VN-MPS", frozenset({"loader"}))
    assert [r.key_id for r in store.list()] == [rec.key_id]


def test_apikey_wrong_secret_and_malformed_are_refused(tmp_path):
    store = ApiKeyStore(tmp_path / "keys.json")
    key, _ = store.create("x")
    with pytest.raises(ApiKeyError, match="unknown"):
        store.verify(key[:-2] + "zz")
    with pytest.raises(ApiKeyError, match="malformed"):
        store.verify("hello")


def test_apikey_revoked_is_refused(tmp_path):
    store = ApiKeyStore(tmp_path / "keys.json")
    key, rec = store.create("x")
    store.revoke(rec.key_id)
    with pytest.raises(ApiKeyError, match="revoked"):
        ApiKeyStore(tmp_path / "keys.json").verify(key)


@pytest.mark.parametrize("agency", ["LA:MPS", "LA@X"])
def test_token_whose_agency_holds_a_colon_or_at_is_refused(agency):
    """An agency ``LA:MPS`` would own the sources under agency ``LA``'s (``ftm@LA:...``)."""
    token = jwt.encode({"sub": "eve", "aud": "lintas", "exp": time.time() + 60, "agency": agency},
                       SECRET, algorithm="HS256")
    with pytest.raises(TokenError, match=f"token agency '{agency}' is not an agency id"):
        TokenVerifier(TokenConfig(secret=SECRET)).verify(token)
    with pytest.raises(ValueError, match="is not an agency id"):
        mint_token("eve", secret=SECRET, agency=agency)


def test_apikey_for_an_agency_with_a_colon_is_not_created(tmp_path):
    store = ApiKeyStore(tmp_path / "keys.json")
    with pytest.raises(ValueError, match="'LA:MPS' is not an agency id"):
        store.create("loader-1", agency="LA:MPS", roles=["loader"])
    assert store.list() == []


def test_apikey_stored_with_an_agency_that_holds_a_colon_is_refused(tmp_path):
    store = ApiKeyStore(tmp_path / "keys.json")
    key, _ = store.create("loader-1", agency="LA-MPS", roles=["loader"])
    path = tmp_path / "keys.json"
    path.write_text(path.read_text().replace('"LA-MPS"', '"LA:MPS"'))
    with pytest.raises(ApiKeyError, match="agency is not an agency id"):
        ApiKeyStore(path).verify(key)


def _settings(tmp_path, **kw) -> Settings:
    return Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), **kw)


def test_authenticator_requires_credentials_outside_demo(tmp_path):
    with pytest.raises(Unauthenticated, match="authentication required"):
        Authenticator(_settings(tmp_path)).authenticate({})
    assert demo_banner(_settings(tmp_path)) is None


def test_authenticator_anonymous_is_the_demo_principal_in_demo_mode(tmp_path):
    settings = _settings(tmp_path, demo=True)
    assert Authenticator(settings).authenticate({}) is DEMO_PRINCIPAL
    assert "DEMO MODE" in demo_banner(settings)


def test_authenticator_bad_token_is_refused_even_in_demo_mode(tmp_path):
    with pytest.raises(Unauthenticated):
        Authenticator(_settings(tmp_path, demo=True)).authenticate({"authorization": "Bearer nonsense"})


def test_authenticator_accepts_bearer_and_api_key(tmp_path):
    auth = Authenticator(_settings(tmp_path))
    assert auth.authenticate({"authorization": f"Bearer {_hs()}"}).subject == "alice"
    key, _ = auth.apikeys.create("svc", agency="TH-DSI")
    assert auth.authenticate({"x-api-key": key}).agency == "TH-DSI"
    with pytest.raises(Unauthenticated, match="not both"):
        auth.authenticate({"authorization": f"Bearer {_hs()}", "x-api-key": key})
    with pytest.raises(Unauthenticated, match="Bearer"):
        auth.authenticate({"authorization": "Basic abc"})


def test_token_rs256_from_a_jwks_url_on_loopback(rsa_keys):
    import http.server
    import threading

    pem, path = rsa_keys
    body = path.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        verifier = TokenVerifier(TokenConfig(jwks_url=f"http://127.0.0.1:{server.server_port}/jwks.json"))
        assert verifier.uses_network
        assert verifier.verify(mint_token("dave", private_key_pem=pem, kid="k1")).subject == "dave"
        with pytest.raises(TokenError):
            verifier.verify(mint_token("eve", private_key_pem=pem, kid="unknown-kid"))
    finally:
        server.shutdown()
        server.server_close()
