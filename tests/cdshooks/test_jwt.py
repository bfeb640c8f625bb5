"""Client JWTs (CDS Hooks 'Trusting CDS Clients'): off by default, on by one setting, bare 401 on any failure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Iterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from service.config import Settings
from service.main import create_app
from tests.cdshooks.support import patient_view

BASE = "https://cds.example.org"
ISSUER = "https://ehr.example.com/"
JWKS_URL = "https://ehr.example.com/jwks.json"
ROTATED_JKU = "https://ehr.example.com/rotated-jwks.json"
OTHER_ISSUER, OTHER_JKU = "https://other-ehr.example/", "https://other-ehr.example/jwks.json"
SERVICE = "/cds-services/tki-treatment-options"


class Keys:
    def __init__(self) -> None:
        self.ec = ec.generate_private_key(ec.SECP384R1())
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.published = {JWKS_URL: [self.jwk(self.ec, "ec-1", "ES384"), self.jwk(self.rsa, "rsa-1", "RS384")], ROTATED_JKU: []}
        self.fetched: list[str] = []

    @staticmethod
    def jwk(key, kid: str, alg: str) -> dict:  # type: ignore[no-untyped-def]
        algorithm = ECAlgorithm if alg.startswith("ES") else RSAAlgorithm
        return {**json.loads(algorithm.to_jwk(key.public_key())), "kid": kid, "alg": alg, "use": "sig"}

    def transport(self) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            self.fetched.append(str(request.url))
            keys = self.published.get(str(request.url))
            return httpx.Response(200, json={"keys": keys}) if keys is not None else httpx.Response(404)

        return httpx.MockTransport(handler)


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


@pytest.fixture
def secured(kb, keys) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = Settings(
        public_base_url=BASE,
        cds_jwt_required=True,
        cds_jwt_issuers={ISSUER: JWKS_URL, OTHER_ISSUER: OTHER_JKU},
        cds_jwt_jku_allowlist=[JWKS_URL, ROTATED_JKU, OTHER_JKU],
    )
    app = create_app(settings=settings, knowledge_base=kb)
    app.state.cds.jwks.transport = keys.transport()
    with TestClient(app) as client:
        yield client


def token(keys: Keys, path: str = SERVICE, alg: str = "ES384", kid: str = "ec-1", key=None, headers: dict | None = None, **claims) -> str:  # type: ignore[no-untyped-def]
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": BASE + path, "exp": now + 300, "iat": now, "jti": str(uuid.uuid4()), **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    signing = key if key is not None else (keys.ec if alg.startswith("ES") else keys.rsa)
    return jwt.encode(payload, signing, algorithm=alg, headers={"kid": kid, "typ": "JWT", **(headers or {})})


def call(client: TestClient, bearer: str | None, path: str = SERVICE):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {bearer}"} if bearer is not None else {}
    if path == "/cds-services":
        return client.get(path, headers=headers)
    return client.post(path, json=patient_view("rcc-clear-cell-on-carbamazepine"), headers=headers)


def assert_bare_401(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response.content == b"" and response.headers["www-authenticate"] == "Bearer"


def test_jwt_is_off_by_default(client):
    assert Settings().cds_jwt_required is False
    assert client.get("/cds-services").status_code == 200


def test_es384_and_rs384_tokens_for_the_exact_endpoint_are_accepted(secured, keys):
    assert call(secured, token(keys)).status_code == 200
    assert call(secured, token(keys, alg="RS384", kid="rsa-1")).status_code == 200
    assert call(secured, token(keys, path="/cds-services"), "/cds-services").status_code == 200
    assert call(secured, token(keys, aud=[BASE + SERVICE])).status_code == 200
    feedback = {"feedback": [{"card": "c", "outcome": "overridden", "outcomeTimestamp": "2026-12-01T22:00:00Z"}]}
    bearer = token(keys, path=SERVICE + "/feedback")
    assert secured.post(SERVICE + "/feedback", json=feedback, headers={"Authorization": f"Bearer {bearer}"}).status_code == 200


def test_no_token_is_a_bare_401(secured):
    assert_bare_401(call(secured, None))
    assert_bare_401(secured.post(SERVICE + "/feedback", json={"feedback": []}))
    assert_bare_401(secured.get("/cds-services", headers={"Authorization": "Basic abc"}))


def test_alg_none_is_refused(secured, keys):
    now = int(time.time())
    unsigned = jwt.encode({"iss": ISSUER, "aud": BASE + SERVICE, "exp": now + 300, "iat": now, "jti": "x"}, None,
                          algorithm="none", headers={"kid": "ec-1"})  # fmt: skip
    assert_bare_401(call(secured, unsigned))


def test_hmac_is_refused_even_with_the_public_key_as_secret(secured, keys):
    # the classic key-confusion forgery, built by hand (PyJWT itself refuses to sign it)
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    head = b64(json.dumps({"alg": "HS384", "typ": "JWT", "kid": "ec-1"}).encode())
    body = b64(json.dumps({"iss": ISSUER, "aud": BASE + SERVICE, "exp": now + 300, "iat": now, "jti": "x"}).encode())
    secret = keys.ec.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    signature = b64(hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha384).digest())
    assert_bare_401(call(secured, f"{head}.{body}.{signature}"))


def test_an_algorithm_outside_the_allowlist_is_refused(secured, keys):
    assert_bare_401(call(secured, token(keys, alg="ES256", key=ec.generate_private_key(ec.SECP256R1()))))


def test_wrong_audience_is_refused(secured, keys):
    assert_bare_401(call(secured, token(keys, path="/cds-services/tki-order-interactions")))
    assert_bare_401(call(secured, token(keys, aud="https://other.example/cds-services/tki-treatment-options")))


def test_expired_token_is_refused(secured, keys):
    assert_bare_401(call(secured, token(keys, exp=int(time.time()) - 120, iat=int(time.time()) - 600)))


def test_token_issued_in_the_future_is_refused(secured, keys):
    assert_bare_401(call(secured, token(keys, iat=int(time.time()) + 600, exp=int(time.time()) + 900)))


def test_required_claims_are_required(secured, keys):
    assert_bare_401(call(secured, token(keys, jti=None)))
    assert_bare_401(call(secured, token(keys, exp=None)))


def test_unknown_issuer_is_refused(secured, keys):
    assert_bare_401(call(secured, token(keys, iss="https://unknown-ehr.example/")))


def test_an_issuer_cannot_borrow_another_issuers_jku(secured, keys):
    keys.published[OTHER_JKU] = [keys.jwk(keys.ec, "ec-1", "ES384")]
    assert call(secured, token(keys, iss=OTHER_ISSUER, headers={"jku": OTHER_JKU})).status_code == 200
    assert_bare_401(call(secured, token(keys, headers={"jku": OTHER_JKU})))


def test_jku_outside_the_allowlist_is_refused_without_fetching_it(secured, keys):
    before = list(keys.fetched)
    assert_bare_401(call(secured, token(keys, headers={"jku": "https://attacker.example/jwks.json"})))
    assert keys.fetched == before


def test_a_key_signed_by_someone_else_is_refused(secured, keys):
    assert_bare_401(call(secured, token(keys, key=ec.generate_private_key(ec.SECP384R1()))))


def test_jwks_is_cached_and_refetched_for_a_rotated_key(secured, keys):
    call(secured, token(keys))
    fetched = len(keys.fetched)
    assert call(secured, token(keys)).status_code == 200
    assert len(keys.fetched) == fetched  # cached
    rotated = ec.generate_private_key(ec.SECP384R1())
    keys.published[ROTATED_JKU] = [keys.jwk(rotated, "ec-2", "ES384")]
    assert call(secured, token(keys, kid="ec-2", key=rotated, headers={"jku": ROTATED_JKU})).status_code == 200
    assert keys.fetched[-1] == ROTATED_JKU


def test_the_token_is_never_logged(secured, keys, caplog):
    bearer = token(keys, path="/cds-services/tki-order-interactions")
    with caplog.at_level(logging.DEBUG):
        call(secured, bearer)
        call(secured, token(keys))
    assert bearer not in caplog.text and bearer.split(".")[2] not in caplog.text


def test_hmac_cannot_be_configured():
    with pytest.raises(ValueError):
        Settings(cds_jwt_algorithms=["HS256"])
    with pytest.raises(ValueError):
        Settings(cds_jwt_algorithms=["none"])
