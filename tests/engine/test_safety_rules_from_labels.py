"""Issue 10, second pass: repotrectinib, label ILD/QT rules, EGFR TKIs after PD-(L)1 blockade, ICI + TKI liver toxicity."""

from __future__ import annotations

import pytest

from schemas.requests import PatientProfileInput
from service.engine.normalise import normalise_profile
from service.knowledge.records import PatientCriterion
from tests.engine.answers import option, option_ids

AFTER_CRIZOTINIB = [{"drugs": ["crizotinib"], "outcome": "progression"}]


def excluded(result):  # type: ignore[no-untyped-def]
    return {n.id: n for n in result.not_recommended}


# --- repotrectinib ----------------------------------------------------------------------------


def test_ros1_g2032r_after_crizotinib_offers_repotrectinib_first(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["ROS1 fusion", "ROS1 G2032R"], prior_therapies=AFTER_CRIZOTINIB)
    assert option_ids(result)[0] == "repotrectinib-ros1"
    assert not {"crizotinib-ros1", "entrectinib-ros1"} & set(option_ids(result))
    repotrectinib = option(result, "repotrectinib-ros1")
    assert {result.citations[key].nct_id for key in repotrectinib.evidence} >= {"NCT03093116"}
    assert "160 mg" in (repotrectinib.components[0].dose or "") and repotrectinib.components[0].dose_source is not None


def test_ros1_after_crizotinib_without_a_resistance_mutation_still_offers_repotrectinib(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["ROS1 fusion"], prior_therapies=AFTER_CRIZOTINIB)
    assert "repotrectinib-ros1" in option_ids(result)
    assert "entrectinib-ros1" not in option_ids(result)


def test_repotrectinib_ntrk_is_tumour_agnostic_and_ranked_below_type_specific_options(recommend, kb):
    result = recommend(cancer_type="COADREAD", stage="metastatic", mutations=["ETV6::NTRK3 fusion"], prior_therapies=["FOLFOX"])
    assert "repotrectinib-ntrk" in option_ids(result)
    indication = kb.regimens["repotrectinib-ntrk"].indications[0]
    assert [(e.event, e.date.isoformat()) for e in indication.regulatory_history] == [("accelerated_approval", "2024-06-13")]
    result = recommend(cancer_type="AML", stage="relapsed", mutations=["NTRK3 fusion"])
    assert "repotrectinib-ntrk" not in option_ids(result)


def test_repotrectinib_label_rules_warn_on_a_strong_cyp3a_inhibitor(client):
    body = client.post("/v1/interactions", json={"drugs": ["repotrectinib", "itraconazole"]}).json()
    warnings = [w for w in body["interaction_warnings"] if w["drug"] == "repotrectinib"]
    assert [(w["interacting_drug"], w["severity"]) for w in warnings] == [("itraconazole", "avoid")]
    assert warnings[0]["label_wording_read"] is False


# --- label warnings: ILD/pneumonitis and QT ---------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "regimen", "set_id"),
    [
        ({"cancer_type": "NSCLC", "mutations": ["ALK fusion"]}, "alectinib-nsclc", "42c49deb-713b-427a-9670-08af08adcffb"),
        ({"cancer_type": "NSCLC", "mutations": ["ALK fusion"]}, "brigatinib-nsclc", "0fe9ff20-d402-41f3-bc1e-7002ea7007db"),
        ({"cancer_type": "NSCLC", "mutations": ["ALK fusion"]}, "lorlatinib-nsclc", "2b34d62d-e02a-4af3-bc1e-7002ea7007db"),
        ({"cancer_type": "LUAD", "mutations": ["EGFR exon 19 deletion"]}, "afatinib-nsclc", "fd638e5e-8032-e7ca-0179-95e96ab5d387"),
        ({"cancer_type": "LUAD", "mutations": ["MET exon 14 skipping"]}, "capmatinib-nsclc", "455892c3-d144-4ba8-9ab4-79cabff9876d"),
        ({"cancer_type": "NSCLC", "mutations": ["ROS1 fusion"]}, "crizotinib-ros1", "2a51b0de-47d6-455e-a94c-d2c737b04ff7"),
    ],
)
def test_a_history_of_pneumonitis_puts_the_label_ild_caution_first(recommend, profile, regimen, set_id):
    result = recommend(stage="IV", prior_therapies=[], conditions=["history of pneumonitis"], **profile)
    found = option(result, regimen)
    assert found.caveats[0].startswith("caution: history of interstitial lung disease")
    assert result.citations[found.cautions[0].evidence[0]].dailymed_set_id == set_id
    without = option(recommend(stage="IV", prior_therapies=[], conditions=["hypertension"], **profile), regimen)
    assert not without.cautions


def test_congenital_long_qt_excludes_crizotinib_but_keeps_the_other_ros1_options(recommend):
    result = recommend(cancer_type="NSCLC", stage="IV", mutations=["ROS1 fusion"], prior_therapies=[], conditions=["congenital long QT syndrome"])
    assert "crizotinib-ros1" not in option_ids(result)
    reasons = excluded(result)["crizotinib-ros1"].reasons
    assert [r.kind for r in reasons] == ["contraindication"] and "avoid crizotinib" in reasons[0].detail
    assert "repotrectinib-ros1" in option_ids(result)


def test_qtc_prolongation_is_a_caution_for_the_tkis_whose_labelling_warns(recommend):
    ros1 = recommend(cancer_type="NSCLC", stage="IV", mutations=["ROS1 fusion"], prior_therapies=[], conditions=["QTc 510 ms"])
    assert "QTc" in option(ros1, "crizotinib-ros1").cautions[0].detail
    assert {ros1.citations[key].doi for key in option(ros1, "entrectinib-ros1").cautions[0].evidence} == {"10.6004/jadpro.2023.14.5.7"}
    assert not option(ros1, "repotrectinib-ros1").cautions  # no QT warning was read for it
    hcc = recommend(cancer_type="HCC", stage="advanced", biomarkers=["Child-Pugh A"], prior_therapies=[], conditions=["QTc prolongation"])
    assert "QTc" in option(hcc, "lenvatinib-hcc").cautions[0].detail
    gist = recommend(
        cancer_type="GIST", stage="metastatic", mutations=["KIT exon 11 mutation"], prior_therapies=[{"drugs": ["imatinib"], "outcome": "progression"}],
        conditions=["QTc prolongation"],
    )
    assert "QT interval" in option(gist, "sunitinib-gist").cautions[0].detail


# --- EGFR TKIs with or after PD-(L)1 blockade ---------------------------------------------------------

T790M_AFTER = [{"drugs": ["gefitinib"], "outcome": "progression", "line": 1}]


def test_osimertinib_after_a_pd1_inhibitor_carries_the_pneumonitis_caution(recommend):
    prior = [*T790M_AFTER, {"drugs": ["nivolumab"], "outcome": "progression", "line": 2}]
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R", "EGFR T790M"], prior_therapies=prior)
    osimertinib = option(result, "osimertinib-nsclc")
    assert osimertinib.caveats[0].startswith("caution: prior nivolumab")
    assert {result.citations[key].pmid for key in osimertinib.cautions[0].evidence} == {"29327061"}


def test_no_pd1_in_the_history_means_no_pneumonitis_caution(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R", "EGFR T790M"], prior_therapies=T790M_AFTER)
    assert not option(result, "osimertinib-nsclc").cautions


def test_the_prior_class_trigger_reads_only_the_prior_lines(kb):
    from service.engine.matching import _patient_rule_finding

    rule = next(r for r in kb.source.rules.patient if r.id == "egfr-tki-with-or-after-pd1-pdl1-inhibitor")
    def finding(**request: object) -> str | None:
        profile = normalise_profile(kb, PatientProfileInput.model_validate({"cancer_type": "LUAD", "stage": "IV", **request}))
        return _patient_rule_finding(kb, profile, rule)  # the rule concerns osimertinib in NSCLC

    assert finding(prior_therapies=[{"drugs": ["durvalumab"], "outcome": "response"}]) == "prior durvalumab"
    assert finding(current_medications=["durvalumab"]) == "current durvalumab"
    assert finding(prior_therapies=[{"drugs": ["gefitinib"], "outcome": "progression"}], current_medications=["omeprazole"]) is None
    assert finding() is None
    with pytest.raises(ValueError, match="prior drug class"):
        PatientCriterion()


# --- ICI + TKI hepatotoxicity -----------------------------------------------------------------


def test_hepatic_impairment_puts_the_keynote_426_caution_on_pembrolizumab_axitinib_only(recommend):
    result = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], conditions=["cirrhosis, Child-Pugh A"])
    assert "22%" in option(result, "pembrolizumab-axitinib").cautions[0].detail
    assert not option(result, "avelumab-axitinib").cautions


def test_a_caution_every_compared_option_carries_keeps_their_head_to_head_order(recommend):
    plain = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[])
    on_durvalumab = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[], current_medications=["durvalumab"])
    assert option_ids(on_durvalumab)[:3] == option_ids(plain)[:3]
    ids = option_ids(on_durvalumab)
    assert ids.index("osimertinib-pemetrexed-platinum") < ids.index("osimertinib-nsclc")  # FLAURA2's win stands
    assert all(o.cautions for o in on_durvalumab.options if "osimertinib" in o.drugs)


def test_a_caution_only_the_winner_carries_still_cancels_its_win(recommend):
    plain = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[])
    hepatic = recommend(cancer_type="CCRCC", stage="IV", prior_therapies=[], conditions=["cirrhosis, Child-Pugh A"])
    assert option_ids(plain).index("pembrolizumab-axitinib") < option_ids(plain).index("sunitinib-rcc")
    # sunitinib has no rule on hepatic impairment and no class peer with one: KEYNOTE-426's win is not used here
    assert not option(hepatic, "sunitinib-rcc").caveats or all("not checked" not in c for c in option(hepatic, "sunitinib-rcc").caveats)
    assert option_ids(hepatic).index("sunitinib-rcc") < option_ids(hepatic).index("pembrolizumab-axitinib")


# --- what was not checked: a condition warned of for some drugs of a class and not others ---------


def test_every_egfr_tki_carries_an_ild_caution_so_none_ranks_first_for_lacking_one(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR exon 19 deletion"], prior_therapies=[], conditions=["history of pneumonitis"])
    egfr = [o for o in result.options if {"gefitinib", "erlotinib", "afatinib", "dacomitinib", "osimertinib"} & set(o.drugs)]
    assert {d for o in egfr for d in o.drugs} >= {"erlotinib", "dacomitinib"}
    for o in egfr:
        assert any("interstitial lung disease" in c.detail.lower() or "ild" in c.detail.lower() for c in o.cautions), o.id
        assert not [c for c in o.caveats if c.startswith("not checked")], o.id
    assert option_ids(result)[0] != "dacomitinib-nsclc"


def test_a_class_member_without_a_rule_on_the_condition_says_it_was_not_checked(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[], conditions=["QTc prolongation"])
    imatinib = option(result, "imatinib-cml")
    assert not imatinib.cautions
    assert any(c.startswith("not checked for") and "nilotinib" in c and "imatinib" in c for c in imatinib.caveats)
    # nilotinib's own caution stays; with imatinib unchecked for the same condition, ENESTnd's win is not cancelled
    assert option(result, "nilotinib-cml").cautions
    ids = option_ids(result)
    assert ids.index("nilotinib-cml") < ids.index("imatinib-cml")
    # a drug with a rule on the condition is not called unchecked
    assert not [c for c in option(result, "nilotinib-cml").caveats if c.startswith("not checked")]


def test_not_checked_is_said_only_when_the_patient_has_the_condition(recommend):
    result = recommend(cancer_type="CML", stage="chronic phase", prior_therapies=[], conditions=["hypertension"])
    assert not [c for o in result.options for c in o.caveats if c.startswith("not checked")]


# --- EGFR TKI-naive after other systemic therapy ----------------------------------------------

AFTER_CHEMO_IO = [{"drugs": ["carboplatin", "pemetrexed", "pembrolizumab"], "outcome": "progression"}]


def test_egfr_tki_naive_after_chemo_immunotherapy_is_offered_erlotinib_by_its_label_with_the_pd1_caution(recommend):
    result = recommend(cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=AFTER_CHEMO_IO)
    erlotinib = option(result, "erlotinib-nsclc")
    # offered (it is ranked after complete options of the same level because of the caution it carries)
    assert "erlotinib-nsclc" in option_ids(result)
    assert erlotinib.indication_id == "erlotinib-egfr-later-line-tki-naive"
    assert any(c.detail.startswith("prior pembrolizumab") for c in erlotinib.cautions)
    # the first-line-only indications (gefitinib, afatinib, dacomitinib) are not offered; osimertinib is, at level 4
    # (extrapolated from FLAURA, which enrolled untreated patients), below erlotinib, with the same caution
    assert not {"gefitinib", "afatinib", "dacomitinib"} & {d for o in result.options for d in o.drugs}
    osimertinib = option(result, "osimertinib-nsclc")
    assert osimertinib.evidence_level == "4" and option_ids(result).index("erlotinib-nsclc") < option_ids(result).index("osimertinib-nsclc")
    assert any(c.detail.startswith("prior pembrolizumab") for c in osimertinib.cautions)


def test_the_later_line_erlotinib_indication_is_not_for_a_patient_already_given_an_egfr_tki(recommend):
    result = recommend(
        cancer_type="LUAD", stage="IV", mutations=["EGFR L858R"], prior_therapies=[{"drugs": ["osimertinib"], "outcome": "progression"}]
    )
    assert "erlotinib-nsclc" not in option_ids(result)
    assert "a prior EGFR TKI" in excluded(result)["erlotinib-nsclc"].reason
