"""Issue 12: every interaction answer says how the set ID behind its DailyMed link was verified."""

from __future__ import annotations

from service.engine.recommend import check_medication_list


def _warning(kb, subject, other):  # type: ignore[no-untyped-def]
    answer = check_medication_list(kb, [subject, other])
    [warning] = [w for w in answer.interaction_warnings if w.drug == subject]
    return warning, [answer.citations[key] for key in warning.evidence]


def test_a_set_id_read_on_dailymed_says_so(kb):
    warning, _ = _warning(kb, "lorlatinib", "rifampin")
    assert warning.verification is not None and warning.verification.set_id_verified == "dailymed"
    assert "Set ID read on DailyMed." in warning.verification.statement


def test_a_set_id_read_in_openfda_says_so(kb):
    warning, _ = _warning(kb, "bosutinib", "rifampin")
    assert warning.verification is not None and warning.verification.set_id_verified == "openfda"
    assert "Set ID read in the openFDA label record." in warning.verification.statement


def test_a_set_id_read_on_a_copy_says_it_was_not_read_on_dailymed(kb):
    warning, evidence = _warning(kb, "regorafenib", "rifampin")
    assert evidence[0].url == "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=824f19c9-0546-4a8a-8d8f-c4055c04f7c7"
    assert warning.verification is not None and warning.verification.set_id_verified == "copy_of_dailymed"
    assert "not on DailyMed itself" in warning.verification.statement
    # the copy that was read is provenance, never the clinician's link
    assert all("fda.report" not in (e.url or "") for e in evidence)


def test_a_set_id_from_the_nci_drug_page_link_says_it_was_not_read_on_dailymed(kb):
    warning, evidence = _warning(kb, "tepotinib", "rifampin")
    assert evidence[0].url == "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=80a0f1b9-071a-47f5-9e67-32d638a669dc"
    assert warning.verification is not None and warning.verification.set_id_verified == "nci_drug_page_link"
    assert "NCI's drug information page, not read on DailyMed itself" in warning.verification.statement
    # the NCI page that named the set ID is provenance, never the clinician's link
    assert all("cancer.gov" not in (e.url or "") for e in evidence)


def test_a_label_without_a_verified_set_id_says_no_link_is_given(kb):
    # LYTGOBI's set ID was not read on any accepted source (NCI's page links the FDA PDF, not DailyMed)
    assert kb.labels["futibatinib"].label.set_id is None
    warning, evidence = _warning(kb, "futibatinib", "itraconazole")
    assert all(e.url is None and e.set_id is None for e in evidence)
    assert warning.verification is not None and warning.verification.set_id_verified is None
    assert "No DailyMed set ID was verified" in warning.verification.statement
