"""Issue 11, second pass: the standard options added around the TKIs, their doses, and the label records of the
TKIs released from `withheld`."""

from __future__ import annotations

from tests.engine.answers import option, option_ids


CRC_REFRACTORY = {"cancer_type": "colorectal cancer", "stage": "metastatic", "prior_therapies": ["FOLFOX", "FOLFIRI"]}


def test_refractory_colorectal_cancer_lists_the_later_line_standards_with_doses(recommend):
    result = recommend(**CRC_REFRACTORY)
    ids = option_ids(result)
    assert {"fruquintinib-crc", "regorafenib-crc", "trifluridine-tipiracil-bevacizumab", "trifluridine-tipiracil-crc"} <= set(ids)
    assert option(result, "fruquintinib-crc").components[0].dose.startswith("5 mg")
    sunlight = option(result, "trifluridine-tipiracil-bevacizumab")
    assert sunlight.contains_tki is False
    assert {c.drug: c.dose for c in sunlight.components}["bevacizumab"].startswith("5 mg/kg")
    # SUNLIGHT beat trifluridine/tipiracil alone
    assert ids.index("trifluridine-tipiracil-bevacizumab") < ids.index("trifluridine-tipiracil-crc")
    assert "Trifluridine/tipiracil + bevacizumab" in option(result, "trifluridine-tipiracil-crc").ranked_below


def test_colorectal_later_line_options_need_the_chemotherapy_their_labels_name(recommend):
    result = recommend(cancer_type="colorectal cancer", stage="metastatic", prior_therapies=["FOLFOX"])
    assert not {"fruquintinib-crc", "trifluridine-tipiracil-crc", "trifluridine-tipiracil-bevacizumab"} & set(option_ids(result))


def test_msi_high_colorectal_gets_nivolumab_ipilimumab_unless_a_pd1_inhibitor_was_given(recommend):
    naive = recommend(cancer_type="COADREAD", stage="metastatic", biomarkers=[{"name": "MSI", "status": "MSI-H"}], prior_therapies=[])
    dual = option(naive, "nivolumab-ipilimumab-crc")
    assert dual.contains_tki is False and dual.approval_year == 2025
    assert {c.drug: c.dose for c in dual.components}["ipilimumab"].startswith("1 mg/kg")
    after = recommend(
        cancer_type="COADREAD",
        stage="metastatic",
        biomarkers=[{"name": "MSI", "status": "MSI-H"}],
        prior_therapies=[{"drugs": ["pembrolizumab"], "outcome": "progression"}],
    )
    assert "nivolumab-ipilimumab-crc" not in option_ids(after)
    mss = recommend(cancer_type="COADREAD", stage="metastatic", biomarkers=[{"name": "MSI", "status": "MSS"}], prior_therapies=[])
    assert "nivolumab-ipilimumab-crc" not in option_ids(mss)


def test_hcc_first_line_lists_nivolumab_ipilimumab_beside_the_other_immunotherapy_standards(recommend):
    result = recommend(cancer_type="HCC", stage="advanced", biomarkers=[{"name": "Child-Pugh", "status": "A"}], prior_therapies=[])
    assert {"nivolumab-ipilimumab-hcc", "atezolizumab-bevacizumab", "tremelimumab-durvalumab-hcc"} <= set(option_ids(result))
    dual = option(result, "nivolumab-ipilimumab-hcc")
    assert dual.indication_id == "nivolumab-ipilimumab-hcc-first-line"
    assert dual.overall_survival and dual.overall_survival.result == "superior"
    assert "Nivolumab + ipilimumab" in option(result, "sorafenib-hcc").ranked_below


def test_hcc_after_sorafenib_uses_the_checkmate_040_schedule_and_needs_sorafenib(recommend):
    after = recommend(cancer_type="HCC", stage="advanced", biomarkers=[{"name": "Child-Pugh", "status": "A"}], prior_therapies=["sorafenib"])
    dual = option(after, "nivolumab-ipilimumab-hcc")
    assert dual.indication_id == "nivolumab-ipilimumab-hcc-after-sorafenib"
    assert "240 mg every 2 weeks" in {c.drug: c.dose for c in dual.components}["nivolumab"]
    other = recommend(
        cancer_type="HCC", stage="advanced", biomarkers=[{"name": "Child-Pugh", "status": "A"}], prior_therapies=["atezolizumab + bevacizumab"]
    )
    assert "nivolumab-ipilimumab-hcc" not in option_ids(other)


def test_endometrial_first_line_offers_both_chemo_immunotherapy_standards_whatever_the_mmr_status(recommend):
    for status in ("proficient", "deficient"):
        result = recommend(cancer_type="UCEC", stage="advanced", biomarkers=[{"name": "MMR", "status": status}], prior_therapies=[])
        assert {"pembrolizumab-carboplatin-paclitaxel-endometrial", "dostarlimab-carboplatin-paclitaxel"} <= set(option_ids(result))
    pembrolizumab = option(result, "pembrolizumab-carboplatin-paclitaxel-endometrial")
    assert [result.citations[e].nct_id for e in pembrolizumab.evidence] == ["NCT03914612"]
    assert all(c.dose for c in pembrolizumab.components)


def test_fgfr2_tkis_warn_with_a_strong_cyp3a_inhibitor_and_leave_unread_classes_not_assessed(recommend):
    result = recommend(
        cancer_type="cholangiocarcinoma",
        stage="metastatic",
        mutations=["FGFR2 fusion"],
        prior_therapies=[{"drugs": ["gemcitabine", "cisplatin"], "outcome": "progression"}],
        current_medications=["itraconazole", "omeprazole"],
    )
    assert {"pemigatinib-cholangiocarcinoma", "futibatinib-cholangiocarcinoma"} <= set(option_ids(result))
    warnings = {(w.drug, w.interacting_drug): w for w in result.interaction_warnings}
    pemigatinib = warnings[("pemigatinib", "itraconazole")]
    assert pemigatinib.severity == "avoid" and "9 mg" in pemigatinib.management and not pemigatinib.label_wording_read
    assert warnings[("futibatinib", "itraconazole")].severity == "avoid"
    pairs = {(p.drug, p.interacting_input): p for p in result.interaction_pairs}
    for drug in ("pemigatinib", "futibatinib"):
        assert pairs[(drug, "omeprazole")].status == "not_assessed"  # never reassurance from a label not read
    assert not [c for c in result.interactions_cleared if c.drug in ("pemigatinib", "futibatinib")]


def test_fruquintinib_and_lazertinib_warn_with_strong_cyp3a_inducers(recommend):
    crc = recommend(**CRC_REFRACTORY, current_medications=["carbamazepine"])
    assert any(w.drug == "fruquintinib" and w.severity == "avoid" for w in crc.interaction_warnings)
    lung = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR exon 19 deletion"], prior_therapies=[], current_medications=["rifampin"])
    lazertinib = next(w for w in lung.interaction_warnings if w.drug == "lazertinib")
    assert lazertinib.severity == "avoid" and lazertinib.exposure_change.percent == -83


def test_belzutifan_needs_both_a_pd1_inhibitor_and_a_vegfr_tki_before_it(recommend):
    after_both = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=["pembrolizumab + axitinib"])
    belzutifan = option(after_both, "belzutifan-rcc")
    assert belzutifan.contains_tki is False and belzutifan.components[0].dose.startswith("120 mg")
    after_tki_only = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=["sunitinib"])
    assert "belzutifan-rcc" not in option_ids(after_tki_only)


def test_braf_v600e_nsclc_gets_dabrafenib_trametinib_with_both_doses(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["BRAF V600E"], prior_therapies=[])
    targeted = option(result, "dabrafenib-trametinib-nsclc")
    assert targeted.contains_tki is False
    assert {c.drug: c.dose for c in targeted.components} == {"dabrafenib": "150 mg orally twice daily", "trametinib": "2 mg orally once daily"}
    assert option_ids(result)[0] == "dabrafenib-trametinib-nsclc"


def test_kras_g12c_inhibitors_are_for_previously_treated_nsclc_only(recommend):
    first = recommend(cancer_type="LUAD", stage="IV", mutations=["KRAS G12C"], pd_l1={"tps": 60}, prior_therapies=[])
    assert not {"sotorasib-nsclc", "adagrasib-nsclc"} & set(option_ids(first))
    assert "pembrolizumab-nsclc" in option_ids(first)  # KRAS G12C does not rule out first-line immunotherapy
    later = recommend(
        cancer_type="LUAD", stage="IV", mutations=["KRAS G12C"], prior_therapies=[{"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"}]
    )
    assert {"sotorasib-nsclc", "adagrasib-nsclc"} <= set(option_ids(later))
    assert option(later, "sotorasib-nsclc").components[0].dose == "960 mg orally once daily"
