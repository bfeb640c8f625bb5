"""CDS client authentication: the JWT each call carries, checked as the CDS Hooks spec asks (PyJWT does the crypto).

Allowlisted `iss` and `jku`, keys from the client's JWK Set (cached, refetched on an unknown `kid` for rotation),
asymmetric `alg` from the configured list only, `aud` = the public URL of the endpoint called, `exp` and `iat`.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
from jwt import PyJWK

from service.config import Settings

REFETCH_AFTER_SECONDS = 10  # an unknown kid refetches the set at most this often (rotation without a fetch storm)
ASYMMETRIC_KEY_TYPES = {"EC", "RSA"}


class NotAuthenticated(Exception):
    """The call has no acceptable JWT; the reason is kept out of the response and the log."""


class JwksCache:
    def __init__(self, ttl_seconds: int, timeout: float = 3.0, transport: httpx.BaseTransport | None = None) -> None:
        self.ttl = ttl_seconds
        self.timeout = timeout
        self.transport = transport
        self._sets: dict[str, tuple[float, dict[str, PyJWK]]] = {}
        self._lock = threading.Lock()
        self.fetches = 0

    def _fetch(self, url: str) -> dict[str, PyJWK]:
        self.fetches += 1
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport, follow_redirects=False) as client:
                response = client.get(url, headers={"Accept": "application/json"})
            document = response.json() if response.status_code == 200 else {}
        except (httpx.HTTPError, ValueError):
            document = {}
        keys: dict[str, PyJWK] = {}
        for entry in document.get("keys", []) if isinstance(document, dict) else []:
            if not isinstance(entry, dict) or entry.get("kty") not in ASYMMETRIC_KEY_TYPES or not entry.get("kid"):
                continue
            if entry.get("use", "sig") != "sig" or "d" in entry:  # a private key published by mistake is not trusted
                continue
            try:
                keys[str(entry["kid"])] = PyJWK(entry)
            except jwt.exceptions.PyJWTError:
                continue
        return keys

    def key(self, url: str, kid: str) -> PyJWK | None:
        now = time.monotonic()
        with self._lock:
            cached = self._sets.get(url)
            if cached is not None:
                fetched_at, keys = cached
                if kid in keys and now - fetched_at < self.ttl:
                    return keys[kid]
                if kid not in keys and now - fetched_at < REFETCH_AFTER_SECONDS:
                    return None
            keys = self._fetch(url)
            self._sets[url] = (now, keys)
            return keys.get(kid)


def _origin(url: str) -> tuple[str, str]:
    parsed = urlsplit(url)
    return parsed.scheme, parsed.netloc.lower()


def verify_client_jwt(authorization: str | None, audience: str, settings: Settings, jwks: JwksCache) -> dict[str, Any]:
    """The verified claims, or NotAuthenticated."""
    if not authorization or not authorization.startswith("Bearer "):
        raise NotAuthenticated
    token = authorization[len("Bearer ") :].strip()
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.exceptions.PyJWTError:
        raise NotAuthenticated from None
    alg, kid, jku = header.get("alg"), header.get("kid"), header.get("jku")
    if alg not in settings.cds_jwt_algorithms or not isinstance(kid, str) or header.get("typ", "JWT") != "JWT":
        raise NotAuthenticated
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or issuer not in settings.cds_jwt_issuers:
        raise NotAuthenticated
    if jku is not None and (jku not in settings.cds_jwt_jku_allowlist or _origin(jku) != _origin(settings.cds_jwt_issuers[issuer])):
        raise NotAuthenticated  # a jku must be allowlisted and on the same origin as its issuer's agreed JWK Set
    key = jwks.key(jku or settings.cds_jwt_issuers[issuer], kid)
    if key is None or key.key_type not in ASYMMETRIC_KEY_TYPES:
        raise NotAuthenticated
    if key.algorithm_name and key.algorithm_name != alg and key._jwk_data.get("alg"):  # noqa: SLF001 - the JWK's own alg
        raise NotAuthenticated
    try:
        return jwt.decode(
            token,
            key.key,
            algorithms=[alg],
            audience=audience,
            issuer=issuer,
            leeway=settings.cds_jwt_leeway_seconds,
            options={"require": ["exp", "iat", "iss", "aud", "jti"]},
        )
    except jwt.exceptions.PyJWTError:
        raise NotAuthenticated from None
