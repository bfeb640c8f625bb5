"""One service call: gather the FHIR data, read it into a profile, call the engine, render cards."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from schemas.cdshooks import Card, CdsResponse, ServiceRequest, Source
from schemas.requests import MedicationInput, PatientProfileInput
from service.cdshooks.cards import CardMaker
from service.cdshooks.outcome import CdsError
from service.cdshooks.prefetch import FhirSource, gather
from service.cdshooks.services import OPTIONS_ID, CdsService
from service.engine.recommend import check_medication_list, recommend_for
from service.fhir.profile import FhirReader, FhirReading, NotMapped, medicine_key, medicine_label, read_record
from service.fhir.resources import FhirInputError, parse_resource
from service.knowledge.index import KnowledgeBase


def answer_call(runtime: Any, kb: KnowledgeBase, service: CdsService, call: ServiceRequest, source: Source) -> CdsResponse:
    cards = CardMaker(source)
    with FhirSource(call, runtime.settings.fhir_timeout_seconds, runtime.fhir_transport) as fhir:
        if service.id == OPTIONS_ID:
            gathered = gather(service, call, fhir)
            return CdsResponse(cards=patient_view_cards(kb, runtime, gathered, cards))
        drafts, draft_medications = _draft_orders(call)
        gathered = gather(service, call, fhir, extra=draft_medications)
        return CdsResponse(cards=order_cards(kb, runtime, gathered, drafts, call, cards))


def profile_input(reading: FhirReading) -> PatientProfileInput:
    """The reading as the JSON API's input; a field this release's contract does not take is reported, not sent."""
    profile = dict(reading.profile)
    for name in list(profile):
        if name not in PatientProfileInput.model_fields:
            reading.not_mapped.append(NotMapped(name, name, "not taken by this release's profile"))
            profile.pop(name)
    try:
        return PatientProfileInput.model_validate(profile)
    except ValidationError as error:
        fields = sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]})
        for name in fields:
            reading.not_mapped.append(NotMapped(name, name, "could not be sent to the engine in this form"))
            profile.pop(name, None)
        return PatientProfileInput.model_validate(profile)


def patient_view_cards(kb: KnowledgeBase, runtime: Any, gathered: Any, cards: CardMaker) -> list[Card]:
    reading = read_record(runtime.codes, gathered.record)
    if "cancer_type" not in reading.profile:
        return [cards.reading_card(None, reading, gathered.missing, "No current primary cancer could be read from the record")]
    answer = recommend_for(kb, profile_input(reading))
    result = cards.option_cards(answer) or [cards.no_option_card(answer)]
    exclusion = cards.exclusion_card(answer)
    if exclusion is not None:
        result.append(exclusion)
    for warning in answer.interaction_warnings:
        result.append(cards.interaction_card(warning, f"{warning.interacting_input} is an active medicine in the record", answer.citations))
    result.append(cards.reading_card(answer, reading, gathered.missing))
    return result


def _draft_orders(call: ServiceRequest) -> list[Any]:
    bundle = call.context.get("draftOrders")
    if not isinstance(bundle, dict):
        raise CdsError(400, "required", "context.draftOrders (a Bundle of draft orders) is required by this hook.", ["context.draftOrders"])
    try:
        parsed = parse_resource(bundle, "context.draftOrders")
    except FhirInputError as error:
        raise CdsError(400, "invalid", "context.draftOrders is not valid FHIR R4.", [w for w, _ in error.problems]) from None
    if parsed.get_resource_type() != "Bundle":
        raise CdsError(400, "invalid", "context.draftOrders must be a Bundle.", ["context.draftOrders"])
    drafts = [e.resource for e in parsed.entry or [] if e.resource is not None and e.resource.get_resource_type() == "MedicationRequest"]
    # Medications sent beside the drafts (referenced by id or by the entry's fullUrl)
    medications = [(e.resource, str(e.fullUrl) if e.fullUrl else None) for e in parsed.entry or []
                   if e.resource is not None and e.resource.get_resource_type() == "Medication"]  # fmt: skip
    selections = call.context.get("selections")
    if call.hook == "order-select" and isinstance(selections, list) and selections:
        chosen = {str(s) for s in selections}
        selected = [d for d in drafts if f"MedicationRequest/{d.id}" in chosen]
        return selected or drafts, medications
    return drafts, medications


def order_cards(kb: KnowledgeBase, runtime: Any, gathered: Any, drafts: list[Any], call: ServiceRequest, cards: CardMaker) -> list[Card]:
    reading = read_record(runtime.codes, gathered.record)
    reader = FhirReader(runtime.codes, gathered.record.medications, gathered.record.urls)
    draft_names: list[Any] = []
    for draft in drafts:
        if getattr(draft, "doNotPerform", None):  # an order not to give the medicine: nothing to check it against
            reading.not_mapped.append(NotMapped(f"MedicationRequest/{draft.id}" if draft.id else "MedicationRequest", "draft order",
                                                "an order not to give this medicine (doNotPerform): not checked"))  # fmt: skip
            continue
        names = reader.medication_names(draft)
        if names is None:
            reading.not_mapped.append(NotMapped(f"MedicationRequest/{draft.id}" if draft.id else "MedicationRequest", "draft order",
                                                "medication not coded and not resolvable"))  # fmt: skip
            continue
        draft_names += [n for n in names[0] if medicine_key(n) not in {medicine_key(d) for d in draft_names}]
    drafted = {medicine_key(d) for d in draft_names}
    other_drafts = [n for n in _all_draft_names(call, reader) if medicine_key(n) not in drafted]
    active: list[Any] = []
    for item in [*reading.medication_lines, *other_drafts]:
        if medicine_key(item) not in drafted | {medicine_key(a) for a in active}:
            active.append(item)
    if not draft_names:
        return [cards.reading_card(None, reading, gathered.missing, "No draft medication order could be read")] if reading.not_mapped else []
    sent = [*draft_names, *active][:60]
    items = [n if isinstance(n, str) else MedicationInput.model_validate(n) for n in sent]
    check = check_medication_list(kb, items)
    understood = check.drugs
    draft_generics = {u.name for u in understood[: len(draft_names)] if u.name}
    other_keys = {medicine_key(d) for d in other_drafts}
    from_other_draft = {u.input for u, item in zip(understood, sent) if medicine_key(item) in other_keys}
    result = []
    for warning in check.interaction_warnings:
        if warning.drug in draft_generics or warning.interacting_drug in draft_generics:
            other = warning.interacting_input
            why = f"{other} is {'another draft order' if other in from_other_draft else 'an active medicine in the record'}"
            result.append(cards.interaction_card(warning, why, check.citations))
    if not result and not draft_generics & set(kb.labels):
        return []  # no drafted drug has label rules here and none interacts: nothing this service can say
    if not result:
        not_recognised = [u.input for u in understood if u.status == "not_recognised"]
        result.append(cards.checked_card(sorted(draft_generics), check, [medicine_label(a) for a in active], not_recognised, gathered.missing, reading))
    return result


def _all_draft_names(call: ServiceRequest, reader: FhirReader) -> list[Any]:
    bundle = parse_resource(call.context["draftOrders"], "context.draftOrders")
    names: list[Any] = []
    for entry in bundle.entry or []:
        if entry.resource is not None and entry.resource.get_resource_type() == "MedicationRequest":
            found = reader.medication_names(entry.resource)
            names += [n for n in (found[0] if found else []) if medicine_key(n) not in {medicine_key(x) for x in names}]
    return names
