"""HL7 CDS Hooks 2.0 shapes (https://cds-hooks.hl7.org/2.0/): discovery, service requests, cards, feedback.

The CDS Hooks specification is this door's contract; these models hold what the service reads and writes.
Requests keep unknown fields (the spec lets clients add extensions); responses forbid them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Text = Annotated[str, Field(min_length=1, max_length=4000)]


class Inbound(BaseModel):
    # the spec allows `extension` members and future fields: read what is known, keep the rest out of use
    model_config = ConfigDict(extra="allow")


class Outbound(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FhirAuthorization(Inbound):
    access_token: Annotated[str, Field(min_length=1, max_length=8000)]
    token_type: Literal["Bearer", "bearer"]
    expires_in: int = Field(ge=0)
    scope: Annotated[str, Field(min_length=1, max_length=4000)]
    subject: Annotated[str, Field(min_length=1, max_length=400)]
    patient: Annotated[str, Field(min_length=1, max_length=200)] = None

    def __repr__(self) -> str:  # the token never reaches a log line or traceback through repr
        return "FhirAuthorization(access_token=<redacted>)"

    __str__ = __repr__


class ServiceRequest(Inbound):
    hook: Annotated[str, Field(min_length=1, max_length=100)]
    hookInstance: Annotated[str, Field(min_length=1, max_length=200)]
    fhirServer: Annotated[str, Field(min_length=1, max_length=2000, pattern=r"^https?://")] = None
    fhirAuthorization: FhirAuthorization = None
    context: dict[str, Any]
    prefetch: dict[str, Any] = None

    @model_validator(mode="after")
    def _server_with_authorization(self) -> ServiceRequest:
        if self.fhirAuthorization is not None and self.fhirServer is None:
            raise ValueError("fhirServer is required when fhirAuthorization is present")
        return self


class Coding(Outbound):
    system: str
    code: str
    display: str


class Source(Outbound):
    label: str
    url: str | None = None


class Link(Outbound):
    label: str
    url: str
    type: Literal["absolute"] = "absolute"


class Card(Outbound):
    uuid: str
    summary: Annotated[str, Field(max_length=139)]
    detail: str | None = None
    indicator: Literal["info", "warning", "critical"]
    source: Source
    overrideReasons: list[Coding] | None = None
    links: list[Link] | None = None


class CdsResponse(Outbound):
    cards: list[Card]


class ServiceDescription(Outbound):
    hook: str
    title: str
    description: str
    id: str
    prefetch: dict[str, str]
    usageRequirements: str | None = None


class Discovery(Outbound):
    services: list[ServiceDescription]


class OverrideReasonFeedback(Inbound):
    reason: dict[str, Any] = None
    userComment: Annotated[str, Field(max_length=4000)] = None


class AcceptedSuggestion(Inbound):
    id: Annotated[str, Field(min_length=1, max_length=200)]


class FeedbackItem(Inbound):
    card: Annotated[str, Field(min_length=1, max_length=200)]
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] = None
    overrideReason: OverrideReasonFeedback = None
    outcomeTimestamp: Annotated[str, Field(min_length=1, max_length=60)]

    @model_validator(mode="after")
    def _accepted_names_suggestions(self) -> FeedbackItem:
        if self.outcome == "accepted" and not self.acceptedSuggestions:
            raise ValueError("acceptedSuggestions is required for an accepted outcome")
        return self


class Feedback(Inbound):
    feedback: Annotated[list[FeedbackItem], Field(min_length=1, max_length=100)]
