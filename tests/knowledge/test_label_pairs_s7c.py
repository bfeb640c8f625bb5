"""Issue 12, session 7 (set IDs and the "no clinically meaningful" sweep).

Set IDs: eleven US labels had none; each now names the set ID in the DailyMed link of NCI's drug information page
for the drug (kind `nci_drug_page_link`), and every answer for it links that DailyMed label and says the set ID was
not read on DailyMed itself. Five labels still have none and say so.

Sweep: every rule in the knowledge that grades a pair `not_meaningful` is crossed with every catalogue member it
names (its drug, or its class's members and label examples), and the answer must not warn for the mechanism the
label cleared. The one exception allowed is the conditional answer for a drug sent without the formulation the
clearance names (acalabrutinib: the capsules' rules answer, and the tablets' clearance is named in the note); sent
with that formulation, the pair must be cleared. A warning for another mechanism of the same label (QT beside a
cleared CYP3A effect) is the label's own instruction and is allowed.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from service.engine.recommend import check_medication_list
from service.knowledge.records import Severity
from tests.knowledge.label_pairs import label_pair, pair_ids

NCI_PAGE = "https://www.cancer.gov/about-cancer/treatment/drugs/"

# (TKI, a medicine its label warns on, set ID, the NCI page slug it was read on)
SET_IDS = [
    ("avapritinib", "itraconazole", "645c887c-8cd4-4623-8da9-ac223d71a8b9", "avapritinib"),
    ("ceritinib", "ketoconazole", "fff5d805-4ffd-4e8e-8e63-6f129697563e", "ceritinib"),
    ("fedratinib", "rifampin", "f0f55a2a-4e0c-4cba-8571-03e1424486d7", "fedratinibhydrochloride"),
    ("lazertinib", "rifampin", "c417f9ee-2027-4ed5-92ad-3c19266de16c", "lazertinib-mesylate-hydrate"),
    ("quizartinib", "itraconazole", "29cdbcfe-497d-4e78-bb7b-2d4acafe8e86", "quizartinib-dihydrochloride"),
    ("repotrectinib", "rifampin", "fb526827-40ba-4462-94cf-179ae3b0cb8a", "repotrectinib"),
    ("ripretinib", "rifampin", "9f18e462-03dd-4296-a02a-a0577e3ee78d", "ripretinib"),
    ("tepotinib", "rifampin", "80a0f1b9-071a-47f5-9e67-32d638a669dc", "tepotinibhydrochloride"),
    ("tucatinib", "rifampin", "f27eb1b9-b7fc-424e-988f-84dd7bb195a3", "tucatinib"),
    ("zanubrutinib", "rifampin", "3e08fe23-d70e-424c-bc51-1222e320f902", "zanubrutinib"),
]

# ROMVIMZA's rules are all unread, so it gives no warning to carry the link; the record is checked directly
SET_ID_WITHOUT_WARNING = [("vimseltinib", "f73c7a62-9601-4df0-810f-100f515d79ea", "vimseltinib-dihydrate")]

# US labels whose set ID no accepted source showed (NCI has no page, or its page links the FDA PDF)
STILL_WITHOUT_SET_ID = ["futibatinib", "infigratinib", "mobocertinib", "sunvozertinib", "zongertinib"]


@pytest.mark.parametrize(("tki", "medicine", "set_id", "slug"), SET_IDS, ids=pair_ids(SET_IDS))
def test_a_set_id_from_the_nci_page_link_is_the_answers_dailymed_link(kb, tki, medicine, set_id, slug):
    label = kb.labels[tki].label
    assert (label.set_id, label.set_id_verified, label.set_id_source) == (set_id, "nci_drug_page_link", NCI_PAGE + slug)
    answer = check_medication_list(kb, [tki, medicine])
    [warning] = [w for w in answer.interaction_warnings if w.drug == tki and w.mechanism != "duplicate_tki"]
    urls = [answer.citations[key].url for key in warning.evidence]
    assert urls[0] == f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
    assert warning.verification is not None and warning.verification.set_id_verified == "nci_drug_page_link"
    assert "not read on DailyMed itself" in warning.verification.statement
    assert all("cancer.gov" not in (url or "") for url in urls)


@pytest.mark.parametrize(("tki", "set_id", "slug"), SET_ID_WITHOUT_WARNING, ids=[row[0] for row in SET_ID_WITHOUT_WARNING])
def test_a_set_id_from_the_nci_page_link_is_recorded_with_its_page(kb, tki, set_id, slug):
    label = kb.labels[tki].label
    assert (label.set_id, label.set_id_verified, label.set_id_source) == (set_id, "nci_drug_page_link", NCI_PAGE + slug)
    assert label.dailymed_url == f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"


@pytest.mark.parametrize("tki", STILL_WITHOUT_SET_ID)
def test_a_us_label_still_without_a_set_id_says_why(kb, tki):
    label = kb.labels[tki]
    assert label.us_label and label.label.set_id is None and label.label.set_id_missing


def _cleared_pairs(kb):  # type: ignore[no-untyped-def]
    """Every (label, not_meaningful rule, catalogue medicine it names), once per TKI and medicine."""
    members: dict[str, set[str]] = defaultdict(set)
    for drug in kb.drugs.values():
        for cls in drug.classes:
            members[cls].add(drug.name)
    seen = set()
    for label in kb.labels.values():
        for rule in label.rules:
            if rule.severity != Severity.NOT_MEANINGFUL:
                continue
            names = sorted(members[rule.with_class] | set(rule.label_examples)) if rule.with_class else [rule.with_drug]
            for name in names:
                if name != label.drug and (label.drug, name, rule.formulation) not in seen:
                    seen.add((label.drug, name, rule.formulation))
                    yield label, rule, name


def _rule_mechanism(kb, rule):  # type: ignore[no-untyped-def]
    if rule.mechanism is not None:
        return rule.mechanism.value
    cls = {c.id: c for c in kb.source.drugs.classes}.get(rule.with_class or "")
    return cls.mechanism.value if cls is not None and cls.mechanism is not None else None


def test_no_pair_a_label_calls_not_meaningful_is_warned_for_the_mechanism_it_cleared(kb):
    wrong = []
    pairs = list(_cleared_pairs(kb))
    assert len(pairs) > 200  # the sweep covers every clearance, not a sample
    for label, rule, medicine in pairs:
        formulated = bool(rule.formulation and kb.drugs[label.drug].formulations)
        _, warnings = label_pair(kb, label.drug, medicine)
        cleared = _rule_mechanism(kb, rule)
        same = [w for w in warnings if cleared is None or w.mechanism == cleared]
        if same and not (formulated and all(w.formulation and w.formulation != rule.formulation for w in same)):
            wrong.append((label.drug, medicine, [w.severity for w in same]))
    assert wrong == []


def test_a_clearance_for_a_named_formulation_is_never_warned_when_that_formulation_is_sent(kb):
    sent = 0
    for label, rule, medicine in _cleared_pairs(kb):
        if not (rule.formulation and kb.drugs[label.drug].formulations):
            continue
        [formulation] = [f for f in kb.drugs[label.drug].formulations if f.id == rule.formulation]
        pair, warnings = label_pair(kb, f"{label.drug} {(formulation.keywords or formulation.names)[0]}", medicine)
        assert pair.status == "not_meaningful" and not warnings, (label.drug, medicine, pair.status)
        sent += 1
    assert sent >= 15
