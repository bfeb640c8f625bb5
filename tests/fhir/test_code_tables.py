"""The FHIR code tables in knowledge/ are sourced and point at codes the knowledge base has."""

from __future__ import annotations

from service.fhir.codes import ICD10CM, SNOMED, fhir_codes


def test_every_cancer_code_row_is_sourced_and_maps_to_a_loaded_oncotree_code(kb):
    codes = fhir_codes()
    assert codes.cancer
    for row in codes.cancer:
        assert row.system in (SNOMED, ICD10CM) and row.source_url.startswith("https://"), row
        assert row.oncotree in kb.cancer_types, row


def test_no_code_maps_to_two_cancer_types():
    seen: dict[tuple[str, str], str] = {}
    for row in fhir_codes().cancer:
        assert seen.setdefault((row.system, row.code), row.oncotree) == row.oncotree, row


def test_observation_codes_cover_variants_pd_l1_and_stage_groups():
    codes = fhir_codes()
    assert codes.codes_for("variant") == ["69548-6"]
    assert codes.codes_for("pd_l1") and codes.codes_for("stage_group")
    assert set(codes.variant_status.values()) == {"detected", "not detected", "equivocal", "not tested"}
