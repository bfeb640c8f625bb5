"""The knowledge check: passes on the curated data, and fails on each kind of defect it guards against."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from service.config import get_settings
from service.knowledge.records import REQUIRED_INTERACTION_CLASSES
from service.knowledge.source import KnowledgeError, read_knowledge


def test_curated_knowledge_passes_the_check(kb):
    assert kb.regimens and kb.evidence and kb.labels


def test_every_indication_cites_verified_evidence_or_is_withheld_naming_what_it_waits_on(kb):
    for regimen in kb.regimens.values():
        for indication in regimen.indications:
            if kb.citable_evidence(indication.evidence):
                continue
            withheld = kb.withheld_reason(regimen, indication)
            assert withheld is not None, indication.id
            reason, pending = withheld
            assert pending, indication.id
            for name in pending:
                assert name in reason, (indication.id, name)


def test_every_withheld_regimen_names_its_missing_evidence_or_item(kb):
    withheld = [(r, i) for r in kb.regimens.values() for i in r.indications if kb.withheld_reason(r, i) is not None]
    assert withheld, "the knowledge holds regimens pending verification (MARIPOSA): they must be listed as withheld"
    for regimen, indication in withheld:
        reason, pending = kb.withheld_reason(regimen, indication)
        assert reason.strip()
        assert pending or regimen.withheld_reason, indication.id
        assert "evidence pending verification: " in reason or "pending" in reason or "not been read" in reason, reason


def test_every_offered_component_has_a_dose_for_its_indication(kb):
    for regimen in kb.regimens.values():
        for indication in regimen.indications:
            if kb.withheld_reason(regimen, indication) is not None:
                continue
            for component in regimen.components:
                dose, _ = indication.dose_for(component)
                assert dose, (indication.id, component.key)


def test_every_oral_tki_label_covers_every_checked_class(kb):
    only_withheld = {d for r in kb.regimens.values() if r.withheld_reason for d in r.drugs} - {
        d for r in kb.regimens.values() if not r.withheld_reason for d in r.drugs
    }
    for drug in kb.drugs.values():
        if "tyrosine_kinase_inhibitor" in drug.classes and drug.route == "oral":
            if drug.name not in kb.labels:
                assert drug.name in only_withheld, f"{drug.name} has no label record and is offered"
                continue
            covered = {r.with_class for r in kb.labels[drug.name].rules}
            assert set(REQUIRED_INTERACTION_CLASSES) <= covered, drug.name


def test_no_seed_002_trial_is_named_anywhere_in_the_knowledge():
    text = " ".join(p.read_text(encoding="utf-8") for p in get_settings().knowledge_dir.rglob("*.yaml")).upper()
    for invented in ("IFN-IMAP", "COMBIMAT", "PONI-COMBO", "GIST-DOX", "IMMU-GIST", "KIT-CAR-T", "AI-DOSE-CML", "EPIMAT"):
        assert invented not in text


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(get_settings().knowledge_dir, target)
    return target


def _edit_evidence(root: Path, edit) -> None:  # type: ignore[no-untyped-def]
    path = root / "evidence" / "resistance.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(records)
    path.write_text(yaml.safe_dump(records, sort_keys=False), encoding="utf-8")


def _problems(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as error:
        read_knowledge(root)
    return error.value.problems


def test_check_fails_without_a_source_url(knowledge_copy):
    _edit_evidence(knowledge_copy, lambda records: records[0].pop("source_url"))
    assert any("source_url" in p for p in _problems(knowledge_copy))


def test_check_fails_on_a_malformed_identifier(knowledge_copy):
    _edit_evidence(knowledge_copy, lambda records: records[0].update(pmid="PMID 12"))
    assert any("PMID" in p for p in _problems(knowledge_copy))


def test_check_fails_when_a_rule_cites_only_unverified_evidence(knowledge_copy):
    path = knowledge_copy / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    cited = "evidence: [nicolini-2013-t315i, zabriskie-2014-compound-mutations, ponatinib-mutations-deininger-2015]"
    assert cited in text
    path.write_text(text.replace(cited, "evidence: [bcr-abl1-mutation-tki-resistance-table]"), encoding="utf-8")
    assert "rules.yaml: resistance bcr-abl1-t315i: no verified evidence with a PMID, NCT ID or DOI" in _problems(knowledge_copy)


def test_check_fails_on_a_reference_to_nothing(knowledge_copy):
    path = knowledge_copy / "regimens" / "gist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("evidence: [grid]", "evidence: [no-such-trial]"), encoding="utf-8")
    assert any("no-such-trial does not exist" in p for p in _problems(knowledge_copy))


def test_check_fails_on_a_prior_therapy_caution_without_its_text_or_on_a_required_prior(knowledge_copy):
    path = knowledge_copy / "regimens" / "cll_mcl.yaml"
    text = path.read_text(encoding="utf-8")
    caution = text[text.index("          caution: "):].split("\n", 1)[0] + "\n"
    path.write_text(text.replace(caution, "", 1), encoding="utf-8")
    assert any("caution_outcomes and caution go together" in p for p in _problems(knowledge_copy))
    required = '{classes: [covalent_btk_inhibitor], description: "a prior covalent BTK inhibitor (ibrutinib, acalabrutinib or zanubrutinib)"}'
    assert required in text
    path.write_text(
        text.replace(required, required[:-1] + ', caution_outcomes: [intolerance], caution: "not for requires_prior"}'), encoding="utf-8"
    )
    assert any("caution_outcomes belong to excludes_prior" in p for p in _problems(knowledge_copy))


def test_check_fails_on_a_regimen_without_evidence(knowledge_copy):
    path = knowledge_copy / "regimens" / "gist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("evidence: [grid]", "evidence: []"), encoding="utf-8")
    assert any("evidence" in p for p in _problems(knowledge_copy))


def test_check_fails_when_an_oral_tki_has_no_label_record(knowledge_copy):
    path = knowledge_copy / "interactions" / "labels_no_us_label.yaml"
    path.write_text("[]\n", encoding="utf-8")
    assert "interactions: oral TKI savolitinib has no label interaction record" in _problems(knowledge_copy)


def test_check_fails_when_overall_survival_rests_on_non_randomised_evidence(knowledge_copy):
    path = knowledge_copy / "regimens" / "gi.yaml"
    text = path.read_text(encoding="utf-8")
    claimed = "      evidence_level: \"3\"\n      regulatory_status: investigational\n      evidence: [fakih"
    assert claimed in text
    path.write_text(
        text.replace(
            claimed,
            claimed.replace(
                "      evidence: [fakih",
                "      overall_survival: {result: superior, comparator: placebo, evidence: [correct-regorafenib-crc]}\n"
                "      evidence: [fakih",
            ),
        ),
        encoding="utf-8",
    )
    assert any("overall_survival needs randomised evidence" in p for p in _problems(knowledge_copy))


def test_check_fails_when_a_combination_names_a_drug_not_in_the_catalogue(knowledge_copy):
    path = knowledge_copy / "drugs.yaml"
    text = path.read_text(encoding="utf-8")
    assert "drugs: [capecitabine, oxaliplatin]" in text
    path.write_text(text.replace("drugs: [capecitabine, oxaliplatin]", "drugs: [capecitabine, no-such-drug]"), encoding="utf-8")
    assert "drugs.yaml: combination CAPOX: drug no-such-drug is not in drugs.yaml" in _problems(knowledge_copy)


# --- issue 10: restrictions named in an indication's text must be structured --------------------


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_fails_when_non_squamous_text_is_not_enforced(knowledge_copy):
    _replace(knowledge_copy / "regimens" / "nsclc.yaml", "      excluded_cancer_types: [LUSC]\n      histology: [non-squamous]\n", "")
    problems = _problems(knowledge_copy)
    assert any("osimertinib-chemotherapy-egfr-first-line" in p and "non-squamous histology" in p for p in problems)


def test_check_fails_when_a_clear_cell_indication_names_all_rcc(knowledge_copy):
    _replace(
        knowledge_copy / "regimens" / "rcc.yaml",
        "      summary: First-line advanced clear-cell renal cell carcinoma\n      cancer_types: [CCRCC]",
        "      summary: First-line advanced clear-cell renal cell carcinoma\n      cancer_types: [RCC]",
    )
    assert any("pembrolizumab-axitinib-rcc-first-line" in p and "clear-cell" in p for p in _problems(knowledge_copy))


def test_check_fails_when_a_later_line_summary_has_no_line_criterion(knowledge_copy):
    _replace(knowledge_copy / "regimens" / "rcc.yaml", "      lines: {min: 2, max: 2}\n", "      lines: {min: 1, max: 2}\n")
    assert any("axitinib-rcc-after-one-systemic-therapy" in p and "later line" in p for p in _problems(knowledge_copy))


def test_check_fails_when_a_note_says_no_activity_against_a_mutation_no_rule_covers(knowledge_copy):
    path = knowledge_copy / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("drugs: [imatinib, dasatinib, nilotinib, bosutinib]", "drugs: [imatinib, dasatinib, nilotinib]", 1), encoding="utf-8")
    assert any("bosutinib-cml-after-prior-tki" in p and "T315I" in p for p in _problems(knowledge_copy))


def test_check_fails_when_an_indication_for_patients_ineligible_for_intensive_chemotherapy_does_not_say_so(knowledge_copy):
    _replace(knowledge_copy / "regimens" / "aml_unfit.yaml", "      ineligible_for_intensive_chemotherapy: true\n", "")
    problems = _problems(knowledge_copy)
    assert any("venetoclax-azacitidine-aml-newly-diagnosed-ineligible-for-intensive" in p and "ineligible for intensive chemotherapy" in p for p in problems)


def test_a_negated_mention_is_not_a_restriction(knowledge_copy):
    # "it did not select by MSI status" describes an unrestricted trial; the curated data passes the check
    text = (knowledge_copy / "regimens" / "gi.yaml").read_text(encoding="utf-8")
    assert "did not select by MSI status" in text
    read_knowledge(knowledge_copy)


def test_check_fails_on_a_patient_rule_naming_an_unknown_condition_group(knowledge_copy):
    _replace(knowledge_copy / "rules.yaml", "when: {condition_groups: [active_autoimmune_disease]}", "when: {condition_groups: [autoimmunity]}")
    assert any("condition group autoimmunity is not defined" in p for p in _problems(knowledge_copy))


def test_check_fails_on_a_patient_rule_without_citable_evidence(knowledge_copy):
    _replace(knowledge_copy / "rules.yaml", "evidence: [haverkos-2017-pd1-after-allo-hct]", "evidence: [bahcall-2016-met-d1228v-cancer-discov]")
    assert any("patient ici-allogeneic-hsct: no verified evidence" in p for p in _problems(knowledge_copy))


# --- label records (issue 12): set ID, sections, source hosts, curator wording ---------------------


def _edit_label(root: Path, drug: str, edit) -> None:  # type: ignore[no-untyped-def]
    for path in sorted((root / "interactions").glob("labels_*.yaml")):
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        for record in records:
            if record["drug"] == drug:
                edit(record)
                path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), encoding="utf-8")
                return
    raise AssertionError(f"no label record for {drug}")


def _rule(record: dict, target: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in record["rules"] if target in (r.get("with_class"), r.get("with_drug")))


def test_every_us_label_record_names_its_set_id_or_says_why_not(kb):
    for label in kb.labels.values():
        if label.us_label:
            assert label.label.set_id or label.label.set_id_missing, label.drug
            assert not label.label.set_id or label.label.dailymed_url.endswith(label.label.set_id)


def test_check_fails_on_a_us_label_without_a_set_id(knowledge_copy):
    def drop(record):  # type: ignore[no-untyped-def]
        record["label"].pop("set_id")
        record["label"].pop("set_id_source")

    _edit_label(knowledge_copy, "lorlatinib", drop)
    assert any("lorlatinib: no DailyMed set_id" in p for p in _problems(knowledge_copy))


def test_every_set_id_says_how_it_was_verified_and_on_which_page(kb):
    for label in kb.labels.values():
        if label.label.set_id:
            assert label.label.set_id_verified in (
                "dailymed",
                "openfda",
                "copy_of_dailymed",
                "openfda_copy",
                "nci_drug_page_link",
            ), label.drug
            assert label.label.set_id_source, label.drug


def test_check_fails_on_a_set_id_without_its_verification_kind(knowledge_copy):
    _edit_label(knowledge_copy, "lorlatinib", lambda record: record["label"].pop("set_id_verified"))
    assert any("lorlatinib: set_id without set_id_verified" in p for p in _problems(knowledge_copy))


def test_check_fails_when_a_copy_of_dailymed_is_called_dailymed(knowledge_copy):
    def claim_dailymed(record):  # type: ignore[no-untyped-def]
        record["label"]["set_id_verified"] = "dailymed"

    _edit_label(knowledge_copy, "regorafenib", claim_dailymed)
    assert any("regorafenib: set_id_verified: dailymed, but fda.report is not DailyMed" in p for p in _problems(knowledge_copy))


def test_check_fails_when_dailymed_itself_is_called_a_copy(knowledge_copy):
    def claim_copy(record):  # type: ignore[no-untyped-def]
        record["label"]["set_id_verified"] = "copy_of_dailymed"

    _edit_label(knowledge_copy, "lorlatinib", claim_copy)
    assert any("lorlatinib: set_id_verified: copy_of_dailymed, but dailymed.nlm.nih.gov is DailyMed" in p for p in _problems(knowledge_copy))


def test_check_fails_on_a_copy_whose_address_does_not_carry_the_whole_set_id(knowledge_copy):
    def other_page(record):  # type: ignore[no-untyped-def]
        record["label"]["set_id_source"] = "https://fda.report/DailyMed/824f19c9"

    _edit_label(knowledge_copy, "regorafenib", other_page)
    assert any("regorafenib: set_id_verified: copy_of_dailymed, but the set ID is not in the copy's address" in p for p in _problems(knowledge_copy))


def test_check_fails_on_a_copy_host_that_is_not_a_known_dailymed_copy(knowledge_copy):
    def unknown_copy(record):  # type: ignore[no-untyped-def]
        record["label"]["set_id_source"] = "https://prescriberpoint.com/therapies/stivarga-824f19c9-0546-4a8a-8d8f-c4055c04f7c7"

    _edit_label(knowledge_copy, "regorafenib", unknown_copy)
    problems = _problems(knowledge_copy)
    assert any("regorafenib: set_id_verified: copy_of_dailymed, but prescriberpoint.com is not a known copy of DailyMed" in p for p in problems)


def test_check_fails_when_an_nci_page_link_is_said_to_be_read_elsewhere(knowledge_copy):
    def other_page(record):  # type: ignore[no-untyped-def]
        record["label"]["set_id_source"] = "https://www.drugs.com/pro/tukysa.html"

    _edit_label(knowledge_copy, "tucatinib", other_page)
    assert any(
        "tucatinib: set_id_verified: nci_drug_page_link, but www.drugs.com is not NCI's drug information site" in p
        for p in _problems(knowledge_copy)
    )


def test_check_fails_when_an_nci_page_link_is_not_on_a_drug_information_page(knowledge_copy):
    def other_page(record):  # type: ignore[no-untyped-def]
        record["label"]["set_id_source"] = "https://www.cancer.gov/types/breast"

    _edit_label(knowledge_copy, "tucatinib", other_page)
    assert any(
        "tucatinib: set_id_verified: nci_drug_page_link, but the address is not an NCI drug information page" in p
        for p in _problems(knowledge_copy)
    )


def test_check_fails_when_an_nci_page_is_called_dailymed(knowledge_copy):
    def claim_dailymed(record):  # type: ignore[no-untyped-def]
        record["label"]["set_id_verified"] = "dailymed"

    _edit_label(knowledge_copy, "tucatinib", claim_dailymed)
    problems = _problems(knowledge_copy)
    assert any("tucatinib: set_id_verified: dailymed, but www.cancer.gov is not DailyMed" in p for p in problems)


def test_check_fails_on_a_rule_without_label_sections(knowledge_copy):
    _edit_label(knowledge_copy, "bosutinib", lambda record: _rule(record, "strong_cyp3a4_inducer").pop("label_sections"))
    assert any("bosutinib / strong_cyp3a4_inducer: avoid rule without label_sections" in p for p in _problems(knowledge_copy))


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://47.251.13.51:8081/19395585", "bare IP address"),
        ("https://pubmed.ncbi.nlm.nih.gov:8443/1", "non-standard port"),
        ("https://uat.mims.com/thailand/drug/info/tasigna", "not an accepted source host"),
        ("https://proxy.weglot.com/x", "not an accepted source host"),
    ],
)
def test_check_rejects_proxies_bare_ips_and_test_hosts(knowledge_copy, url, why):
    _edit_label(knowledge_copy, "bosutinib", lambda record: record["verification"]["read_from"].append(url))
    assert any(url in p and why in p for p in _problems(knowledge_copy))


def test_check_rejects_a_bad_host_hidden_in_curator_notes(knowledge_copy):
    _edit_label(knowledge_copy, "bosutinib", lambda record: record.update(curator_notes="read at https://sit.mimsdev.com/x"))
    assert any("sit.mimsdev.com" in p for p in _problems(knowledge_copy))


def test_check_rejects_curator_wording_in_clinical_text(knowledge_copy):
    def edit(record):  # type: ignore[no-untyped-def]
        rule = _rule(record, "strong_cyp3a4_inducer")
        rule["management"] += " UNVERIFIED: the brief cites a number."

    _edit_label(knowledge_copy, "bosutinib", edit)
    assert any("curator wording in management" in p for p in _problems(knowledge_copy))


def test_check_rejects_wording_read_without_a_label_text_source(knowledge_copy):
    _edit_label(knowledge_copy, "bosutinib", lambda record: record["verification"].update(label_wording_read=True))
    assert any("label_wording_read without a read_from on FDA, NLM" in p for p in _problems(knowledge_copy))


def test_check_rejects_an_adjust_dose_rule_without_its_number(knowledge_copy):
    def edit(record):  # type: ignore[no-untyped-def]
        rule = _rule(record, "strong_cyp3a4_inducer")
        rule.update(severity="adjust_dose", dose_change="increase the dose", management="Increase the dose.")

    _edit_label(knowledge_copy, "bosutinib", edit)
    problems = _problems(knowledge_copy)
    assert any("adjust_dose rule without a dose_change carrying the label's number" in p for p in problems)


def test_check_rejects_rxcuis_whose_source_is_not_named(knowledge_copy):
    _replace(knowledge_copy / "rxnorm.yaml", "    source: hl7-pddi-cds-warfarin\n", "    source: an-unread-list\n")
    assert any("warfarin: source an-unread-list is not one of the file's sources" in p for p in _problems(knowledge_copy))


def test_check_rejects_a_github_source_without_the_commit_read(knowledge_copy):
    _replace(knowledge_copy / "rxnorm.yaml", "tree/a8fcf13a679fa37073e8fa83e11d5e0d8cc07276/web/data", "tree/main/web/data")
    assert any("GitHub address without the commit read" in p for p in _problems(knowledge_copy))


def test_check_rejects_an_rxcui_given_to_two_drugs(knowledge_copy):
    _replace(knowledge_copy / "rxnorm.yaml", '{rxcui: "36567", tty: IN, name: "simvastatin"}', '{rxcui: "11289", tty: IN, name: "simvastatin"}')
    assert any("RxCUI 11289 names both" in p for p in _problems(knowledge_copy))


@pytest.mark.parametrize(
    "url",
    ["http://47.251.13.51:8081/22025146", "https://proxy.weglot.com/wg_1/en/pubmed.ncbi.nlm.nih.gov/1", "https://app.example.org/proxy?url=https%3A%2F%2Fpubmed"],
)
def test_check_rejects_evidence_read_through_a_proxy_or_a_bare_ip(knowledge_copy, url):
    _edit_evidence(knowledge_copy, lambda records: records[0].update(source_url=url))
    assert any("source_url" in p and ("proxy" in p or "IP" in p) for p in _problems(knowledge_copy))
def _edit_regimens(root: Path, name: str, edit) -> None:  # type: ignore[no-untyped-def]
    path = root / "regimens" / name
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(records)
    path.write_text(yaml.safe_dump(records, sort_keys=False), encoding="utf-8")


def test_check_fails_when_a_withdrawn_indication_is_still_marked_approved(knowledge_copy):
    def edit(records):  # type: ignore[no-untyped-def]
        records[0]["indications"][0]["regulatory_status"] = "fda_approved"

    _edit_regimens(knowledge_copy, "withdrawn.yaml", edit)
    assert any("withdrawn" in p and "not_fda_approved" in p for p in _problems(knowledge_copy))


def test_check_fails_on_regulatory_history_out_of_date_order(knowledge_copy):
    def edit(records):  # type: ignore[no-untyped-def]
        records[0]["indications"][0]["regulatory_history"][1]["date"] = "2019-01-01"

    _edit_regimens(knowledge_copy, "withdrawn.yaml", edit)
    assert any("not in date order" in p for p in _problems(knowledge_copy))


def test_check_fails_on_a_regulatory_event_without_a_source(knowledge_copy):
    def edit(records):  # type: ignore[no-untyped-def]
        records[0]["indications"][0]["regulatory_history"][1].pop("source_url")

    _edit_regimens(knowledge_copy, "withdrawn.yaml", edit)
    assert any("source_url" in p for p in _problems(knowledge_copy))


def test_check_fails_when_approval_year_contradicts_the_history(knowledge_copy):
    def edit(records):  # type: ignore[no-untyped-def]
        records[0]["indications"][0]["approval_year"] = 2021

    _edit_regimens(knowledge_copy, "withdrawn.yaml", edit)
    assert any("approval_year 2021" in p for p in _problems(knowledge_copy))


# --- issue 16: FGFR3, adipocytic sarcoma, unresolved cancer-type terms ---------------------------------


def test_check_fails_when_an_fgfr3_indication_does_not_require_the_alteration(knowledge_copy):
    def edit(records):  # type: ignore[no-untyped-def]
        records[0]["indications"][0]["requires_alterations"] = []

    _edit_regimens(knowledge_copy, "urothelial.yaml", edit)
    assert any("erdafitinib" in p and "FGFR3 alteration" in p for p in _problems(knowledge_copy))


def test_check_fails_when_adipocytic_sarcoma_is_named_but_not_excluded(knowledge_copy):
    def edit(records):  # type: ignore[no-untyped-def]
        records[0]["indications"][0]["excluded_cancer_types"] = []

    _edit_regimens(knowledge_copy, "sarcoma.yaml", edit)
    assert any("pazopanib" in p and "not adipocytic sarcoma" in p for p in _problems(knowledge_copy))


def test_check_fails_on_an_abbreviation_naming_an_unknown_type(knowledge_copy):
    _replace(knowledge_copy / "cancer_types.yaml", "code: PANET", "code: PANETX")
    assert any("abbreviation 'pnet': PANETX does not exist" in p for p in _problems(knowledge_copy))


def test_check_fails_on_a_result_needed_in_or_mutation_scope_naming_nothing(knowledge_copy):
    path = knowledge_copy / "alterations.yaml"
    _replace(path, "result_needed_in: [AML]", "result_needed_in: [NOTATYPE]")
    _replace(path, 'mutation_scope: {category: "BCR::ABL1 kinase domain mutation", drug_classes: [bcr_abl1_tki]', 'mutation_scope: {category: "no such category", drug_classes: [no_such_class]')
    problems = _problems(knowledge_copy)
    assert any("result_needed_in NOTATYPE does not exist" in p for p in problems)
    assert any("mutation_scope category no such category is not defined" in p for p in problems)
    assert any("mutation_scope class no_such_class is not defined" in p for p in problems)


def test_check_fails_on_a_prior_not_shown_covered_naming_an_unknown_class(knowledge_copy):
    _replace(
        knowledge_copy / "regimens" / "cll_mcl.yaml",
        "- {classes: [covalent_btk_inhibitor], description: \"a prior covalent BTK inhibitor (ibrutinib, acalabrutinib or zanubrutinib)\"}\n      evidence_level: \"1\"\n      regulatory_status: fda_approved\n      evidence: [ascend]",
        "- {classes: [no_such_class], description: \"a prior covalent BTK inhibitor (ibrutinib, acalabrutinib or zanubrutinib)\"}\n      evidence_level: \"1\"\n      regulatory_status: fda_approved\n      evidence: [ascend]",
    )
    assert any("prior-therapy class no_such_class is not defined" in p for p in _problems(knowledge_copy))


def test_check_fails_when_a_driver_targeted_indication_defers_to_targeted_options(knowledge_copy):
    anchor = "      evidence: [profile-1001-ros1-crizotinib]\n"
    _replace(
        knowledge_copy / "regimens" / "nsclc.yaml",
        anchor,
        anchor + "      defers_to_targeted: {reason: circular, evidence: [ici-in-nsclc-with-actionable-drivers-review-2021]}\n",
    )
    assert any("does not defer to targeted options" in p for p in _problems(knowledge_copy))


def test_check_fails_when_the_targeted_first_rule_has_no_citable_source(knowledge_copy):
    # the first record of the file is the targeted-first review the rule cites
    _replace(knowledge_copy / "evidence" / "nsclc_s4.yaml", "  verified: true\n", "  verified: false\n")
    assert any("(defers_to_targeted): no verified evidence" in p for p in _problems(knowledge_copy))


def _edit_regimen_notes(root: Path, regimen_id: str, edit) -> None:  # type: ignore[no-untyped-def]
    for path in sorted((root / "regimens").glob("*.yaml")):
        regimens = yaml.safe_load(path.read_text(encoding="utf-8"))
        for regimen in regimens:
            if regimen["id"] == regimen_id:
                edit(regimen["indications"][0])
                path.write_text(yaml.safe_dump(regimens, sort_keys=False), encoding="utf-8")
                return
    raise AssertionError(f"no regimen {regimen_id}")


def test_check_rejects_provenance_wording_in_an_indication_shown_to_clinicians(knowledge_copy):
    _edit_regimen_notes(knowledge_copy, "docetaxel-nsclc", lambda i: i.update(notes="The US label was not read for this record."))
    assert any("indication docetaxel-nsclc-after-platinum: notes: provenance wording" in p for p in _problems(knowledge_copy))


def test_check_accepts_provenance_in_an_indication_curator_notes(knowledge_copy):
    _edit_regimen_notes(knowledge_copy, "docetaxel-nsclc", lambda i: i.update(curator_notes="The US label was not read for this record."))
    read_knowledge(knowledge_copy)


def test_check_rejects_provenance_wording_in_a_patient_rule_reason(knowledge_copy):
    path = knowledge_copy / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    rules = yaml.safe_load(text)
    rules["patient"][0]["reason"] += " Its wording was not read here."
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    assert any(f"patient {rules['patient'][0]['id']}: reason: provenance wording 'read here'" in p for p in _problems(knowledge_copy))
