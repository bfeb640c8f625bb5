"""Solid tumours, session 4: melanoma (BRAF V600 targeted therapy beside the checkpoint inhibitors, advanced and
adjuvant), KRAS G12C and BRAF V600E colorectal cancer, and tenosynovial giant cell tumour."""

from __future__ import annotations

from tests.engine.answers import option, option_ids

BRAF_MEK = {"dabrafenib", "trametinib", "encorafenib", "binimetinib", "vemurafenib", "cobimetinib"}
CHECKPOINT = {"nivolumab", "ipilimumab", "pembrolizumab", "relatlimab", "atezolizumab"}
CRC_REFRACTORY = [
    {"line": 1, "drugs": ["FOLFOX", "bevacizumab"], "outcome": "progression"},
    {"line": 2, "drugs": ["FOLFIRI"], "outcome": "progression"},
]


def offered_drugs(result):  # type: ignore[no-untyped-def]
    return {d for o in result.options for d in o.drugs}


def test_braf_v600e_melanoma_offers_the_braf_mek_combinations_beside_the_checkpoint_inhibitors(recommend):
    result = recommend(cancer_type="cutaneous melanoma", stage="IV", mutations=["BRAF V600E"], prior_therapies=[])
    ids = set(option_ids(result))
    assert {"dabrafenib-trametinib-melanoma", "encorafenib-binimetinib-melanoma", "vemurafenib-cobimetinib-melanoma"} <= ids
    assert {"nivolumab-ipilimumab-melanoma", "nivolumab-relatlimab-melanoma", "pembrolizumab-melanoma", "nivolumab-melanoma"} <= ids
    assert not any(o.contains_tki for o in result.options)
    assert "atezolizumab-vemurafenib-cobimetinib-melanoma" in ids  # released in session 7 (test_soc_s7_doses.py)


def test_braf_v600k_is_recognised_and_meets_the_melanoma_braf_criterion(recommend):
    result = recommend(cancer_type="melanoma", stage="metastatic", mutations=["BRAF p.V600K"], prior_therapies=[])
    assert "encorafenib-binimetinib-melanoma" in option_ids(result)
    assert option(result, "encorafenib-binimetinib-melanoma").components[0].dose == "450 mg orally once daily"


def test_braf_wild_type_melanoma_gets_no_braf_or_mek_inhibitor(recommend):
    result = recommend(cancer_type="melanoma", stage="metastatic", mutations=["BRAF wild type"], prior_therapies=[])
    assert not BRAF_MEK & offered_drugs(result)
    assert "nivolumab-ipilimumab-melanoma" in option_ids(result)
    assert not result.provisional


def test_melanoma_without_a_braf_result_is_provisional_and_names_the_braf_regimens(recommend):
    result = recommend(cancer_type="melanoma", stage="metastatic", prior_therapies=[])
    assert result.provisional
    [message] = [w.message for w in result.warnings if w.code == "result_not_given"]
    assert "BRAF" in message and "Dabrafenib + trametinib" in message
    assert not BRAF_MEK & offered_drugs(result)


def test_braf_mek_after_progression_on_checkpoint_inhibitors_and_not_the_checkpoint_inhibitors_again(recommend):
    result = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF V600E"], prior_therapies=[{"line": 1, "drugs": ["nivolumab", "ipilimumab"], "outcome": "progression"}])
    assert {"dabrafenib-trametinib-melanoma", "encorafenib-binimetinib-melanoma"} <= set(option_ids(result))
    assert not CHECKPOINT & offered_drugs(result)


def test_progression_on_dabrafenib_trametinib_excludes_every_braf_mek_combination(recommend):
    result = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF V600E"], prior_therapies=[{"line": 1, "drugs": ["dabrafenib", "trametinib"], "outcome": "progression"}])
    assert not BRAF_MEK & offered_drugs(result)
    assert "nivolumab-ipilimumab-melanoma" in option_ids(result)


def test_resected_stage_iii_braf_melanoma_gets_the_adjuvant_options_only(recommend):
    result = recommend(cancer_type="melanoma", stage="stage III, completely resected", mutations=["BRAF V600E"], prior_therapies=[])
    assert set(option_ids(result)) == {"dabrafenib-trametinib-melanoma", "nivolumab-melanoma", "pembrolizumab-melanoma"}
    assert {o.indication_id for o in result.options} == {
        "dabrafenib-trametinib-braf-v600-melanoma-adjuvant",
        "nivolumab-melanoma-adjuvant",
        "pembrolizumab-melanoma-adjuvant",
    }


def test_checkpoint_inhibitor_contraindications_apply_to_the_melanoma_regimens_relatlimab_included(recommend):
    result = recommend(cancer_type="SKCM", stage="IV", mutations=["BRAF V600E"], prior_therapies=[], conditions=["autoimmune disease"])
    assert not CHECKPOINT & offered_drugs(result)
    excluded = {n.id: {r.kind for r in n.reasons} for n in result.not_recommended}
    assert "contraindication" in excluded["nivolumab-relatlimab-melanoma"]
    assert "dabrafenib-trametinib-melanoma" in option_ids(result)


def test_opdualag_as_prior_therapy_reads_as_nivolumab_and_relatlimab(recommend):
    result = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF V600E"], prior_therapies=[{"line": 1, "drugs": ["Opdualag"], "outcome": "progression"}])
    assert not {"nivolumab-relatlimab-melanoma", "nivolumab-melanoma"} & set(option_ids(result))


def test_relatlimab_nivolumab_is_ranked_above_nivolumab_alone_by_relativity_047(recommend):
    result = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF wild type"], prior_therapies=[])
    ids = option_ids(result)
    assert ids.index("nivolumab-relatlimab-melanoma") < ids.index("nivolumab-melanoma")


def test_kras_g12c_colorectal_after_chemotherapy_offers_sotorasib_panitumumab_above_its_control_arm(recommend):
    result = recommend(cancer_type="colorectal adenocarcinoma", stage="metastatic", mutations=["KRAS G12C"], prior_therapies=CRC_REFRACTORY)
    ids = option_ids(result)
    assert ids.index("sotorasib-panitumumab-crc") < ids.index("trifluridine-tipiracil-crc")
    assert ids.index("sotorasib-panitumumab-crc") < ids.index("regorafenib-crc")
    doses = {c.drug: c.dose for c in option(result, "sotorasib-panitumumab-crc").components}
    assert doses == {"sotorasib": "960 mg orally once daily", "panitumumab": "6 mg/kg IV every 2 weeks"}
    assert "adagrasib-cetuximab-crc" in {w.id for w in result.withheld}


def test_kras_g12c_colorectal_first_line_gets_no_kras_inhibitor(recommend):
    result = recommend(cancer_type="colorectal adenocarcinoma", stage="metastatic", mutations=["KRAS G12C"], prior_therapies=[])
    assert not {"sotorasib", "adagrasib"} & offered_drugs(result)


def test_braf_v600e_colorectal_first_line_lists_breakwater_as_withheld_not_as_an_option(recommend):
    result = recommend(cancer_type="colorectal adenocarcinoma", stage="metastatic", mutations=["BRAF V600E"], prior_therapies=[])
    assert "encorafenib-cetuximab-mfolfox6-crc" in {w.id for w in result.withheld}
    assert "encorafenib" not in offered_drugs(result)


def test_tgct_offers_both_csf1r_inhibitors_and_hepatic_impairment_cautions_pexidartinib(recommend):
    plain = recommend(cancer_type="tenosynovial giant cell tumor", prior_therapies=[])
    assert set(option_ids(plain)) == {"pexidartinib-tgct", "vimseltinib-tgct"}
    assert all(o.contains_tki for o in plain.options)
    cirrhosis = recommend(cancer_type="TGCT", prior_therapies=[], conditions=["cirrhosis"])
    assert any("boxed warning" in c.detail for c in option(cirrhosis, "pexidartinib-tgct").cautions)
    assert any(c.startswith("not checked for hepatic impairment") for c in option(cirrhosis, "vimseltinib-tgct").caveats)


def test_a_prior_csf1r_inhibitor_rules_out_the_other(recommend):
    result = recommend(cancer_type="TGCT", prior_therapies=[{"line": 1, "drugs": ["pexidartinib"], "outcome": "progression"}])
    assert option_ids(result) == []
    excluded = {n.id: {r.kind for r in n.reasons} for n in result.not_recommended}
    assert "prior_therapy" in excluded["vimseltinib-tgct"]
