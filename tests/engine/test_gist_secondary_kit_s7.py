"""GIST after imatinib with secondary KIT mutations in both the ATP-binding pocket and the activation loop (issue 10):
the ctDNA analysis reported each group alone, so both options are shown with what the source says, never nothing."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.knowledge.records import ResistanceRule
from tests.engine.answers import option_ids

AFTER_IMATINIB = {"cancer_type": "GIST", "stage": "metastatic", "prior_therapies": [{"drugs": ["imatinib"], "outcome": "progression"}]}


def gist(recommend, *secondary):  # type: ignore[no-untyped-def]
    return recommend(**AFTER_IMATINIB, mutations=["KIT exon 11 deletion", *secondary])


@pytest.mark.parametrize("pocket", ["KIT V654A", "KIT exon 14 mutation"])
@pytest.mark.parametrize("loop", ["KIT D816H", "KIT exon 18 mutation"])
def test_both_secondary_groups_get_sunitinib_first_with_the_caution_and_ripretinib_beside_it(recommend, pocket, loop):
    result = gist(recommend, pocket, loop)
    assert option_ids(result)[:2] == ["sunitinib-gist", "ripretinib-gist"]
    sunitinib, ripretinib = result.options[:2]
    caution = " ".join(c.detail for c in sunitinib.cautions)
    assert "a tumour with both was not reported" in caution and "exon 17/18" in caution
    assert ripretinib.indication_id == "ripretinib-gist-second-line-kit-both-secondary-groups"
    assert ripretinib.evidence_level == "4" and "not reported" in (ripretinib.notes or "")
    assert not any(w.code == "no_options" for w in result.warnings)


def test_activation_loop_alone_still_excludes_sunitinib_and_offers_second_line_ripretinib(recommend):
    result = gist(recommend, "KIT D816H")
    assert "sunitinib-gist" not in option_ids(result)
    assert any(n.id == "sunitinib-gist" and any(r.kind == "resistance" for r in n.reasons) for n in result.not_recommended)
    assert [o.indication_id for o in result.options if o.id == "ripretinib-gist"] == ["ripretinib-gist-second-line-kit-activation-loop"]


def test_atp_pocket_alone_offers_sunitinib_without_the_mixed_caution_and_no_second_line_ripretinib(recommend):
    result = gist(recommend, "KIT V654A")
    assert "sunitinib-gist" in option_ids(result) and "ripretinib-gist" not in option_ids(result)
    sunitinib = next(o for o in result.options if o.id == "sunitinib-gist")
    assert not any("not reported" in c.detail for c in sunitinib.cautions)


def test_a_rule_that_stands_down_must_say_what_it_shows_instead():
    with pytest.raises(ValidationError):
        ResistanceRule(id="x", alterations=["KIT activation-loop mutation"], drugs=["sunitinib"], reason="r", evidence=["e"],
                       not_when_also=["KIT ATP-binding pocket mutation"])
