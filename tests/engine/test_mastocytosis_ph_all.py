"""Systemic mastocytosis by subtype and platelet count, Ph+ ALL after first line, and dasatinib in blast-phase CML."""

from __future__ import annotations

from tests.engine.answers import option_ids


def withheld_ids(result):  # type: ignore[no-untyped-def]
    return [w.id for w in result.withheld]


def test_advanced_sm_gets_midostaurin_at_its_trial_dose_whatever_the_kit_result(recommend):
    for mutations in (["KIT D816V"], ["KIT D816V not detected"], []):
        result = recommend(cancer_type="aggressive systemic mastocytosis", mutations=mutations, prior_therapies=[])
        assert option_ids(result) == ["midostaurin-advanced-sm"], mutations
        dose = next(c.dose for c in result.options[0].components if c.drug == "midostaurin")
        assert dose.startswith("100 mg orally twice daily")
        assert result.citations["midostaurin-advsm-d2201"].nct_id == "NCT00782067"


def test_avapritinib_in_advanced_sm_is_withheld_not_offered_until_its_trials_are_cited(recommend):
    for platelets in (40, 120):
        result = recommend(cancer_type="SMAHN", blood_counts={"platelets": platelets}, prior_therapies=[])
        assert all("avapritinib" not in o.drugs for o in result.options)
        # named as withheld only where the patient fits it: below 50 x10^9/L the platelet criterion rules it out
        assert ("avapritinib-advanced-sm" in withheld_ids(result)) == (platelets >= 50)


def test_indolent_sm_offers_no_advanced_sm_dose(recommend):
    result = recommend(cancer_type="indolent systemic mastocytosis", mutations=["KIT D816V"], prior_therapies=[])
    assert option_ids(result) == []
    assert withheld_ids(result) == ["avapritinib-indolent-sm"]


def test_kit_d816v_is_read_as_its_own_alteration_and_stays_an_exon_17_mutation_in_gist(kb):
    alteration = kb.alterations["KIT D816V"]
    assert alteration.exon == 17
    assert "KIT activation-loop mutation" in alteration.categories


def test_ph_all_relapsed_after_imatinib_gets_dasatinib_and_ponatinib_monotherapy(recommend):
    result = recommend(cancer_type="Ph+ ALL", stage="relapsed", prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}])
    ids = option_ids(result)
    assert {"dasatinib-ph-all", "ponatinib-ph-all"} <= set(ids)
    doses = {o.id: next(c.dose for c in o.components if c.role == "tki") for o in result.options}
    assert doses["dasatinib-ph-all"].startswith("140 mg") and doses["ponatinib-ph-all"].startswith("45 mg")


def test_ph_all_with_t315i_after_dasatinib_gets_ponatinib_and_never_dasatinib(recommend):
    result = recommend(cancer_type="Ph+ ALL", stage="relapsed", mutations=["BCR::ABL1 T315I"], prior_therapies=[{"drugs": ["dasatinib"], "outcome": "progression"}])
    assert option_ids(result)[0] == "ponatinib-ph-all"
    assert all("dasatinib" not in o.drugs and "imatinib" not in o.drugs for o in result.options)


def test_newly_diagnosed_ph_all_ranks_ponatinib_chemotherapy_above_the_imatinib_arm_it_beat(recommend):
    result = recommend(cancer_type="Ph+ ALL", stage="newly diagnosed", prior_therapies=[])
    ids = option_ids(result)
    assert ids.index("ponatinib-chemotherapy-ph-all") < ids.index("imatinib-chemotherapy-ph-all")
    imatinib = next(o for o in result.options if o.id == "imatinib-chemotherapy-ph-all")
    assert imatinib.evidence_level == "2"


def test_blast_phase_cml_after_imatinib_gets_dasatinib_140_mg(recommend):
    result = recommend(cancer_type="CML", stage="blast phase", prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}])
    dasatinib = next(o for o in result.options if o.id == "dasatinib-cml")
    assert next(c.dose for c in dasatinib.components if c.drug == "dasatinib").startswith("140 mg")


def test_advanced_sm_is_read_as_its_three_oncotree_types_never_as_one(recommend):
    result = recommend(cancer_type="advanced systemic mastocytosis", prior_therapies=[])
    cancer_type = result.profile.cancer_type
    assert cancer_type.status == "ambiguous" and cancer_type.code == "SM"
    assert set(cancer_type.candidates) == {"ASM", "SMAHN", "SMMCL"}
    midostaurin = next(o for o in result.options if o.id == "midostaurin-advanced-sm")
    assert any("less specific than the studied population" in c for c in midostaurin.caveats)
