"""Session 11: standards that were missing (carboplatin-pemetrexed, osimertinib as the first EGFR TKI after other
therapy, gemcitabine + nab-paclitaxel after FOLFIRINOX, dasatinib + blinatumomab, lutetium Lu 177 dotatate,
dacarbazine after checkpoint inhibitors), what follows a CDK4/6 inhibitor, and variants written the way reports
write them (NPM1 p.W288Cfs*12, MYD88 L265P)."""

from __future__ import annotations

import pytest

from tests.engine.answers import cautions, excluded_ids, offered_ids, option

HR_POSITIVE = ["ER positive", "HER2 negative"]
AFTER_PALBOCICLIB = [{"drugs": ["palbociclib", "letrozole"], "outcome": "progression", "line": 1}]


# --- variants as reports write them --------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ["NPM1 p.W288Cfs*12", "NPM1 W288fs", "NPM1 p.Trp288CysfsTer12"])
def test_the_common_npm1_frameshift_reads_as_an_npm1_mutation(recommend, entry):
    result = recommend(
        cancer_type="AML", stage="relapsed", mutations=[entry, "FLT3 negative"],
        prior_therapies=[{"drugs": ["venetoclax", "azacitidine"], "outcome": "relapse", "line": 1}],
    )
    reading = result.profile.mutations[0]
    assert reading.status == "recognised" and reading.alteration == "mutation"
    assert {"revumenib-acute-leukaemia", "ziftomenib-aml"} <= offered_ids(result)


def test_another_npm1_frameshift_is_not_read_as_the_menin_inhibitor_target(recommend):
    result = recommend(cancer_type="AML", stage="relapsed", mutations=["NPM1 p.L287fs"], prior_therapies=[])
    assert not {"revumenib-acute-leukaemia", "ziftomenib-aml"} & offered_ids(result)


def test_myd88_l265p_is_read_and_said_to_be_unused_for_matching(recommend):
    result = recommend(cancer_type="Waldenström macroglobulinaemia", mutations=["MYD88 L265P"], prior_therapies=[])
    reading = result.profile.mutations[0]
    assert reading.status == "recognised" and reading.gene == "MYD88"
    assert "not used for matching" in reading.read_as


# --- NSCLC ---------------------------------------------------------------------------------------------------------


def test_egfr_found_after_first_line_pembrolizumab_is_offered_osimertinib_with_the_pneumonitis_cautions(recommend):
    result = recommend(
        cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"],
        prior_therapies=[{"drugs": ["pembrolizumab"], "outcome": "progression", "line": 1, "weeks_since_last_dose": 4}],
    )
    osimertinib = option(result, "osimertinib-nsclc")
    assert osimertinib.indication_id == "osimertinib-egfr-later-line-tki-naive"
    assert osimertinib.evidence_level == "4"
    assert "pneumonitis" in cautions(osimertinib)


def test_osimertinib_after_a_prior_egfr_tki_is_not_the_tki_naive_option(recommend):
    result = recommend(
        cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"],
        prior_therapies=[{"drugs": ["erlotinib"], "outcome": "progression", "line": 1}],
    )
    if "osimertinib-nsclc" in offered_ids(result):
        assert option(result, "osimertinib-nsclc").indication_id != "osimertinib-egfr-later-line-tki-naive"


def test_squamous_nsclc_is_not_offered_carboplatin_pemetrexed(recommend):
    result = recommend(cancer_type="LUSC", stage="IV", conditions=["active systemic lupus erythematosus"], prior_therapies=[])
    assert "pemetrexed-carboplatin-nsclc" not in offered_ids(result)


# --- pancreas, Ph+ ALL, neuroendocrine tumours, melanoma -------------------------------------------------------------


def test_gemcitabine_nab_paclitaxel_follows_folfirinox_but_not_gemcitabine(recommend):
    after_folfirinox = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV", prior_therapies=["FOLFIRINOX (progression)"])
    regimen = option(after_folfirinox, "nab-paclitaxel-gemcitabine-pancreas")
    assert regimen.indication_id == "nab-paclitaxel-gemcitabine-pancreas-after-folfirinox"
    assert all(c.dose for c in regimen.components)
    after_gemcitabine = recommend(cancer_type="pancreatic adenocarcinoma", stage="IV", prior_therapies=["gemcitabine + nab-paclitaxel (progression)"])
    assert "nab-paclitaxel-gemcitabine-pancreas" not in offered_ids(after_gemcitabine)


def test_dasatinib_blinatumomab_is_offered_with_the_d_alba_doses(recommend):
    result = recommend(cancer_type="Ph+ ALL", stage="newly diagnosed", prior_therapies=[])
    regimen = option(result, "dasatinib-blinatumomab")
    doses = {c.drug: c.dose for c in regimen.components}
    assert "140 mg" in doses["dasatinib"] and "28 micrograms/day" in doses["blinatumomab"]
    assert "dasatinib-blinatumomab" not in {w.id for w in result.withheld}


def test_lutetium_dotatate_needs_a_somatostatin_receptor_positive_tumour(recommend):
    positive = recommend(cancer_type="pancreatic neuroendocrine tumor", stage="IV", biomarkers=["SSTR positive"], prior_therapies=[])
    regimen = option(positive, "lutetium-dotatate-octreotide-gep-net")
    assert regimen.indication_id == "lutetium-dotatate-sstr-positive-gep-net-first-line"
    assert {c.drug for c in regimen.components} == {"lutetium lu 177 dotatate", "octreotide"}
    negative = recommend(cancer_type="pancreatic neuroendocrine tumor", stage="IV", biomarkers=["SSTR negative"], prior_therapies=[])
    assert "lutetium-dotatate-octreotide-gep-net" not in offered_ids(negative)


def test_lutetium_dotatate_after_a_somatostatin_analogue_but_not_after_itself(recommend):
    after_octreotide = recommend(
        cancer_type="small bowel neuroendocrine tumor", stage="IV", biomarkers=["SSTR positive"], prior_therapies=["octreotide (progression)"]
    )
    regimen = option(after_octreotide, "lutetium-dotatate-octreotide-gep-net")
    assert regimen.indication_id == "lutetium-dotatate-sstr-positive-gep-net-after-somatostatin-analogue"
    after_lutetium = recommend(
        cancer_type="small bowel neuroendocrine tumor", stage="IV", biomarkers=["SSTR positive"],
        prior_therapies=["octreotide (progression)", "Lutathera (progression)"],
    )
    assert "lutetium-dotatate-octreotide-gep-net" not in offered_ids(after_lutetium)


def test_dacarbazine_follows_checkpoint_inhibitors_in_melanoma_at_the_lowest_level(recommend):
    after = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF not detected"], prior_therapies=["nivolumab + ipilimumab (progression)"])
    assert option(after, "dacarbazine-melanoma").evidence_level == "4"
    first_line = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF not detected"], prior_therapies=[])
    assert "dacarbazine-melanoma" not in offered_ids(first_line)


# --- HR-positive breast cancer after a CDK4/6 inhibitor -------------------------------------------------------------


def test_palbociclib_fulvestrant_is_excluded_after_a_cdk46_inhibitor_with_pace(recommend):
    result = recommend(cancer_type="BRCA", stage="IV", biomarkers=HR_POSITIVE, prior_therapies=AFTER_PALBOCICLIB)
    assert "palbociclib-fulvestrant-breast" in excluded_ids(result)
    group = next(g for g in result.exclusion_groups if any(r.id == "palbociclib-fulvestrant-breast" for r in g.regimens))
    assert "PACE" in group.reason and "pace-palbociclib-fulvestrant-after-cdk46" in group.evidence
    # a reason about the drugs already given, not a contraindication of the patient's
    assert group.kind == "prior_therapy"


@pytest.mark.parametrize("cancer_type", ["BRCA", "breast cancer"])
def test_the_cdk46_options_after_a_cdk46_inhibitor_rest_on_trials_that_enrolled_such_patients(recommend, cancer_type):
    result = recommend(cancer_type=cancer_type, stage="IV", biomarkers=HR_POSITIVE, prior_therapies=AFTER_PALBOCICLIB)
    assert option(result, "abemaciclib-fulvestrant-breast").indication_id == "abemaciclib-fulvestrant-hr-positive-breast-after-cdk46-inhibitor"
    assert option(result, "ribociclib-fulvestrant-breast").indication_id == "ribociclib-fulvestrant-hr-positive-breast-after-cdk46-inhibitor"


def test_without_a_prior_cdk46_inhibitor_the_pivotal_trials_stay_the_basis(recommend):
    result = recommend(cancer_type="BRCA", stage="IV", biomarkers=HR_POSITIVE, prior_therapies=[{"drugs": ["letrozole"], "outcome": "progression", "line": 1}])
    assert option(result, "abemaciclib-fulvestrant-breast").indication_id == "abemaciclib-fulvestrant-hr-positive-breast-after-endocrine-therapy"
    assert "palbociclib-fulvestrant-breast" in offered_ids(result)


def test_lifileucel_follows_pd1_blockade_and_for_braf_v600_a_braf_inhibitor_too(recommend):
    wild_type = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF not detected"], prior_therapies=["pembrolizumab (progression)"])
    regimen = option(wild_type, "lifileucel-melanoma")
    assert regimen.indication_id == "lifileucel-melanoma-braf-wild-type-after-pd1"
    doses = {c.drug: c.dose for c in regimen.components}
    assert "60 mg/kg" in doses["cyclophosphamide"] and "600,000 IU/kg" in doses["aldesleukin"]
    v600_without_braf_inhibitor = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF V600E"], prior_therapies=["pembrolizumab (progression)"])
    assert "lifileucel-melanoma" not in offered_ids(v600_without_braf_inhibitor)
    v600_after_both = recommend(
        cancer_type="melanoma", stage="IV", mutations=["BRAF V600E"],
        prior_therapies=[{"drugs": ["pembrolizumab"], "outcome": "progression", "line": 1}, {"drugs": ["dabrafenib", "trametinib"], "outcome": "progression", "line": 2}],
    )
    assert option(v600_after_both, "lifileucel-melanoma").indication_id == "lifileucel-melanoma-braf-v600-after-pd1-and-braf-inhibitor"
    pd1_naive = recommend(cancer_type="melanoma", stage="IV", mutations=["BRAF not detected"], prior_therapies=[])
    assert "lifileucel-melanoma" not in offered_ids(pd1_naive)


def test_platinum_chemotherapy_follows_enfortumab_vedotin_pembrolizumab_at_the_lowest_level(recommend):
    result = recommend(
        cancer_type="bladder urothelial carcinoma", stage="IV", mutations=["FGFR3 not detected"],
        prior_therapies=["enfortumab vedotin + pembrolizumab (progression)"],
    )
    regimen = option(result, "gemcitabine-carboplatin-urothelial")
    assert regimen.indication_id == "gemcitabine-carboplatin-urothelial-after-enfortumab-pembrolizumab"
    assert regimen.evidence_level == "4"
    after_platinum = recommend(
        cancer_type="bladder urothelial carcinoma", stage="IV",
        prior_therapies=["enfortumab vedotin + pembrolizumab (progression)", "gemcitabine + carboplatin (progression)"],
    )
    assert "gemcitabine-carboplatin-urothelial" not in offered_ids(after_platinum)


@pytest.mark.parametrize("entry", ["ESR1 D538G", "ESR1 p.Y537S", "ESR1 mutation"])
def test_an_esr1_mutation_after_endocrine_therapy_opens_elacestrant(recommend, entry):
    result = recommend(cancer_type="BRCA", stage="IV", biomarkers=HR_POSITIVE, mutations=[entry], prior_therapies=AFTER_PALBOCICLIB)
    regimen = option(result, "elacestrant-breast")
    assert regimen.components[0].dose.startswith("345 mg")


def test_elacestrant_needs_an_esr1_mutation_it_knows(recommend):
    without = recommend(cancer_type="BRCA", stage="IV", biomarkers=HR_POSITIVE, prior_therapies=AFTER_PALBOCICLIB)
    assert "elacestrant-breast" not in offered_ids(without)
    other_variant = recommend(cancer_type="BRCA", stage="IV", biomarkers=HR_POSITIVE, mutations=["ESR1 S463P"], prior_therapies=AFTER_PALBOCICLIB)
    assert "elacestrant-breast" not in offered_ids(other_variant)
    assert "not used for matching" in other_variant.profile.mutations[0].read_as


def test_msi_high_colorectal_cancer_ranks_the_checkpoint_inhibitors_above_the_chemotherapy_they_beat(recommend):
    result = recommend(cancer_type="colorectal cancer", stage="IV", biomarkers=["MSI-H"], prior_therapies=[])
    ids = [o.id for o in result.options]
    for winner in ("pembrolizumab-crc-msi-high", "nivolumab-ipilimumab-crc"):
        for beaten in ("folfox-bevacizumab-crc", "folfiri-bevacizumab-crc"):
            assert ids.index(winner) < ids.index(beaten), (winner, beaten)
    # without MSI-H the chemotherapy stands alone
    plain = recommend(cancer_type="colorectal cancer", stage="IV", prior_therapies=[])
    assert "pembrolizumab-crc-msi-high" not in {o.id for o in plain.options}
