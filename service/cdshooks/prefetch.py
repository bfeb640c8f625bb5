"""The FHIR data of a service call: prefetch first, the client's FHIR server for what is missing (with its token)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from schemas.cdshooks import ServiceRequest
from service.cdshooks.outcome import CdsError
from service.cdshooks.services import PATIENT, CdsService
from service.fhir.resources import FhirInputError, Record, entries_in

FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
MAX_PAGES = 5

# httpx logs each request line (with the patient id in the query) at INFO: keep it quiet whatever the app's level.
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.WARNING)


@dataclass
class Gathered:
    record: Record
    missing: list[str] = field(default_factory=list)  # optional keys neither prefetched nor fetched
    fetched: list[str] = field(default_factory=list)


def _fhir_error(error: FhirInputError) -> CdsError:
    return CdsError(
        400, "invalid", "The FHIR content sent is not valid FHIR R4: fix the listed elements.", [w for w, _ in error.problems],
        "; ".join(f"{w}: {m}" for w, m in error.problems),
    )  # fmt: skip


class FhirSource:
    """Reads prefetch values and, when allowed, the client's FHIR server; the access token lives only in this object."""

    def __init__(self, request: ServiceRequest, timeout: float, transport: httpx.BaseTransport | None) -> None:
        self.prefetch = request.prefetch or {}
        authorization = request.fhirAuthorization
        server = request.fhirServer or ""
        # the spec allows fetching only with both; production data travels over https only
        self.usable = authorization is not None and server.startswith("https://")
        self._base = server.rstrip("/")
        self._token = authorization.access_token if authorization is not None else None
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.Client | None = None

    def __enter__(self) -> FhirSource:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        self._token = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self._timeout), transport=self._transport, follow_redirects=False,
                headers={"Authorization": f"Bearer {self._token}", "Accept": "application/fhir+json"},
            )  # fmt: skip
        return self._client

    def prefetched(self, key: str) -> list[Any] | None:
        try:
            return entries_in(self.prefetch.get(key), f"prefetch.{key}")
        except FhirInputError as error:
            raise _fhir_error(error) from None

    def fetch(self, query: str, where: str) -> list[Any] | None:
        """A search or read on the client's FHIR server; None when it fails (the reason is not logged with data)."""
        if not self.usable:
            return None
        url: str | None = f"{self._base}/{query}"
        found: list[Any] = []
        for _ in range(MAX_PAGES):
            if url is None:
                break
            try:
                response = self._http().get(url)
            except httpx.HTTPError:
                return None
            if response.status_code != 200:
                return None
            try:
                body = response.json()
                items = entries_in(body, where)
            except (ValueError, FhirInputError):
                return None
            if items is None:
                return None
            found.extend(items)
            url = next((link.get("url") for link in body.get("link") or [] if isinstance(link, dict) and link.get("relation") == "next"), None)
            if url is not None and not str(url).startswith(self._base + "/"):
                url = None  # never follow a link off the client's own server, where the token would go
        return found


def gather(service: CdsService, request: ServiceRequest, source: FhirSource, extra: list[tuple[Any, str | None]] | None = None) -> Gathered:
    patient_id = request.context.get("patientId")
    if not isinstance(patient_id, str) or not FHIR_ID.match(patient_id):
        raise CdsError(400, "invalid", "context.patientId must be a FHIR id.", ["context.patientId"])
    record = Record()
    gathered = Gathered(record)
    absent_required: list[str] = []
    for key, template in service.prefetch.items():
        resources = source.prefetched(key)
        if resources is None:
            resources = source.fetch(template.replace(PATIENT, quote(patient_id, safe="")), f"fhirServer.{key}")
            if resources is not None:
                gathered.fetched.append(key)
        if resources is None:
            (absent_required if key in service.required else gathered.missing).append(key)
            continue
        for resource, full_url in resources:
            record.add(resource, full_url)
    if absent_required:
        keys = ", ".join(sorted(absent_required))
        raise CdsError(
            412, "processing", f"Cannot give guidance without the patient's {keys}: send them as prefetch or give "
            "fhirServer with fhirAuthorization.", [f"prefetch.{k}" for k in sorted(absent_required)],
            f"CDS Hooks prefetch key(s) {keys} absent, null or an OperationOutcome, and no usable FHIR server.",
        )  # fmt: skip
    for resource, full_url in extra or []:
        record.add(resource, full_url)
    _resolve_medications(record, source)
    return gathered


def _resolve_medications(record: Record, source: FhirSource) -> None:
    """Fetch `Medication/{id}` references that neither contained nor prefetched resources answer."""
    wanted = set()
    for resource in [*record.medication_requests, *record.medication_statements, *record.medication_administrations]:
        reference = getattr(resource.medicationReference, "reference", None) if resource.medicationReference else None
        if reference and reference.startswith("Medication/"):
            med_id = reference.split("/", 1)[1]
            if FHIR_ID.match(med_id) and med_id not in record.medications:
                wanted.add(med_id)
    for med_id in sorted(wanted)[:20]:
        for resource, full_url in source.fetch(f"Medication/{med_id}", "fhirServer.Medication") or []:
            record.add(resource, full_url)
