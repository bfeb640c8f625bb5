"""Urothelial FGFR3, pancreatic NET and soft-tissue sarcoma settings, and the withdrawn mobocertinib and
infigratinib approvals (issue 16)."""

from __future__ import annotations

from tests.engine.answers import option_ids


def excluded(result):  # type: ignore[no-untyped-def]
    return {n.id: n for n in result.not_recommended}


AFTER_PLATINUM_AND_PD1 = ["gemcitabine + cisplatin (progression)", "pembrolizumab (progression)"]


def test_fgfr3_s249c_after_platinum_and_pembrolizumab_offers_erdafitinib_beside_enfortumab_vedotin(recommend):
    result = recommend(cancer_type="BLCA", stage="metastatic", mutations=["FGFR3 S249C"], prior_therapies=AFTER_PLATINUM_AND_PD1)
    assert {"erdafitinib-urothelial", "enfortumab-vedotin-urothelial"} <= set(option_ids(result))
    erdafitinib = next(o for o in result.options if o.id == "erdafitinib-urothelial")
    assert erdafitinib.contains_tki and "9 mg" in erdafitinib.components[0].dose
    assert not next(o for o in result.options if o.id == "enfortumab-vedotin-urothelial").contains_tki


def test_fgfr3_fusion_with_a_partner_is_read_as_an_fgfr3_fusion(recommend):
    result = recommend(cancer_type="UTUC", stage="metastatic", mutations=["FGFR3::TACC3 fusion"], prior_therapies=AFTER_PLATINUM_AND_PD1)
    entry = result.profile.mutations[0]
    assert entry.status == "recognised" and entry.normalised == "FGFR3 fusion" and entry.fusion_partner == "TACC3"
    assert "erdafitinib-urothelial" in option_ids(result)


def test_erdafitinib_is_not_offered_before_a_pd1_or_pdl1_inhibitor(recommend):
    result = recommend(cancer_type="BLCA", stage="metastatic", mutations=["FGFR3 S249C"], prior_therapies=["gemcitabine + cisplatin (progression)"])
    assert "erdafitinib-urothelial" not in option_ids(result)
    assert "pembrolizumab-urothelial-after-platinum" in option_ids(result)


def test_erdafitinib_needs_a_susceptible_fgfr3_alteration(recommend):
    result = recommend(cancer_type="BLCA", stage="metastatic", mutations=["FGFR3 K650E"], prior_therapies=AFTER_PLATINUM_AND_PD1)
    assert "erdafitinib-urothelial" not in option_ids(result)


def test_avelumab_maintenance_needs_platinum_without_progression(recommend):
    stable = recommend(cancer_type="BLCA", stage="metastatic", prior_therapies=["gemcitabine + cisplatin (stable disease)"])
    progressed = recommend(cancer_type="BLCA", stage="metastatic", prior_therapies=["gemcitabine + cisplatin (progression)"])
    assert "avelumab-maintenance-urothelial" in option_ids(stable)
    assert "avelumab-maintenance-urothelial" not in option_ids(progressed)


def test_pnet_offers_sunitinib_and_everolimus_and_cabozantinib_only_after_prior_therapy(recommend):
    first = recommend(cancer_type="pancreatic neuroendocrine tumour", stage="metastatic")
    assert {"sunitinib-pnet", "everolimus-pnet"} <= set(option_ids(first)) and "cabozantinib-pnet" not in option_ids(first)
    after = recommend(cancer_type="PANET", stage="metastatic", prior_therapies=["sunitinib (progression)"])
    assert "cabozantinib-pnet" in option_ids(after) and "sunitinib-pnet" not in option_ids(after)


def test_pnet_abbreviation_reads_as_pancreatic_net_and_says_so(recommend):
    result = recommend(cancer_type="pNET", stage="metastatic")
    reading = result.profile.cancer_type
    assert reading.status == "recognised" and reading.code == "PANET" and "abbreviation" in reading.read_as
    assert {"sunitinib-pnet", "everolimus-pnet"} <= set(option_ids(result))


def test_pnet_written_as_the_oncotree_code_stays_the_primitive_neuroectodermal_tumour(recommend):
    reading = recommend(cancer_type="PNET", stage="metastatic").profile.cancer_type
    assert reading.code == "PNET" and reading.name == "Primitive Neuroectodermal Tumor"


def test_leiomyosarcoma_after_doxorubicin_offers_pazopanib(recommend):
    result = recommend(cancer_type="leiomyosarcoma", stage="metastatic", prior_therapies=["doxorubicin (progression)"])
    assert set(option_ids(result)) == {"pazopanib-sts", "trabectedin-l-sarcoma"}


def test_liposarcoma_is_told_why_pazopanib_is_not_offered(recommend):
    result = recommend(cancer_type="dedifferentiated liposarcoma", stage="metastatic", prior_therapies=["doxorubicin (progression)"])
    assert "pazopanib-sts" not in option_ids(result)
    assert "eribulin-liposarcoma" in option_ids(result)
    reason = excluded(result)["pazopanib-sts"]
    assert [r.kind for r in reason.reasons] == ["histology"] and "Liposarcoma" in reason.reason


def test_pazopanib_rationale_names_liposarcoma_as_excluded_not_required(recommend):
    result = recommend(cancer_type="LMS", stage="metastatic", prior_therapies=["doxorubicin (progression)"])
    cancer = next(c for c in result.options[0].rationale if c.criterion == "cancer type")
    assert "not LIPO (Liposarcoma)" in cancer.requirement and "LIPO (Liposarcoma) or" not in cancer.requirement


def test_gist_is_not_offered_sarcoma_chemotherapy(recommend):
    result = recommend(cancer_type="GIST", stage="metastatic", mutations=["KIT exon 11 deletion"])
    assert not {"doxorubicin-sts", "pazopanib-sts"} & (set(option_ids(result)) | set(excluded(result)))


def test_withdrawn_mobocertinib_is_shown_as_withdrawn_after_platinum(recommend):
    result = recommend(cancer_type="NSCLC", stage="metastatic", mutations=["EGFR exon 20 insertion"], prior_therapies=["carboplatin + pemetrexed (progression)"])
    assert not any("mobocertinib" in o.drugs for o in result.options)
    reason = excluded(result)["mobocertinib-nsclc"]
    assert [r.kind for r in reason.reasons] == ["withdrawn"] and "withdrawn on 2023-10-03" in reason.reason


def test_withdrawn_infigratinib_is_shown_as_withdrawn(recommend):
    result = recommend(cancer_type="CHOL", stage="metastatic", mutations=["FGFR2 fusion"], prior_therapies=["gemcitabine + cisplatin (progression)"])
    assert "infigratinib-cholangiocarcinoma" not in option_ids(result)
    assert "withdrawn on 2024-05-16" in excluded(result)["infigratinib-cholangiocarcinoma"].reason


def test_erdafitinib_with_a_strong_cyp3a4_inhibitor_warns_to_monitor(recommend):
    result = recommend(cancer_type="BLCA", stage="metastatic", mutations=["FGFR3 S249C"], prior_therapies=AFTER_PLATINUM_AND_PD1, current_medications=["itraconazole"])
    warning = next(w for w in result.interaction_warnings if w.drug == "erdafitinib")
    assert warning.severity == "monitor" and warning.management.startswith("Monitor")
