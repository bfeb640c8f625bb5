"""CLL results read like every other input: del(17p) as a cytogenetic biomarker, TP53 and BTK as variants."""

from __future__ import annotations

import pytest

from schemas.requests import BiomarkerInput
from service.engine.readers.biomarkers import read_biomarker
from service.engine.readers.variants import read_mutation


@pytest.mark.parametrize(
    ("text", "value", "result"),
    [
        ("del(17p) detected", "detected", "detected"),
        ("17p deletion not detected", "not detected", "not detected"),
        ("del17p negative", "not detected", "not detected"),
        ("del 17p positive", "detected", "detected"),
        ("del(17)(p13.1): present", "detected", "detected"),
    ],
)
def test_del17p_is_read_with_its_result(kb, text, value, result):
    understood, valued = read_biomarker(kb, text)
    assert understood.status == "recognised" and understood.name == "del(17p)"
    assert understood.result == result
    assert valued == ("del(17p)", value)


def test_del17p_pending_is_recognised_but_not_used(kb):
    understood, valued = read_biomarker(kb, "del17p pending")
    assert understood.status == "recognised" and understood.result == "pending"
    assert valued is None


def test_del17p_as_an_object_with_a_status(kb):
    understood, valued = read_biomarker(kb, BiomarkerInput(name="17p deletion", status="not detected"))
    assert valued == ("del(17p)", "not detected")


def test_a_gene_sent_as_a_biomarker_says_where_it_belongs(kb):
    understood, valued = read_biomarker(kb, "TP53 mutated")
    assert understood.status == "not_recognised" and "mutations" in (understood.detail or "")
    assert valued is None


@pytest.mark.parametrize(
    ("text", "alteration", "status"),
    [
        ("TP53 mutated", "TP53 mutation", "detected"),
        ("TP53 mutation detected", "TP53 mutation", "detected"),
        ("BTK C481S detected", "BTK C481S", "detected"),
        ("BTK p.Cys481Ser", "BTK C481S", "detected"),
        ("BTK C481S pending", "BTK C481S", "pending"),
    ],
)
def test_tp53_and_btk_results_are_read(kb, text, alteration, status):
    [reading] = read_mutation(kb, text, "CLLSLL")
    assert reading.understood.status == "recognised", reading.understood.detail
    assert reading.alteration is not None and reading.alteration.id == alteration
    assert reading.status == status


def test_tp53_tested_negative_is_a_gene_level_negative(kb):
    [reading] = read_mutation(kb, "TP53 not detected", "CLLSLL")
    assert reading.understood.status == "recognised" and reading.status == "not detected"


def test_a_gene_without_a_whole_gene_event_still_needs_its_change(kb):
    [reading] = read_mutation(kb, "KIT mutated", "GIST")
    assert reading.understood.status == "not_recognised"
