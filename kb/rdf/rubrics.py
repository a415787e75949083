"""The rubrics that describe a segment in a purchasing plan (DOMAIN.md), with their label variants.

One table drives three things: the text reader (a "rubric | content" row becomes a heading), the
extractor (which item class a rubric's bullets become) and search (rubric names as context).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rubric:
    """A segment rubric: its key (= concept slug in the ``rubrieken`` scheme) and label pattern."""

    key: str
    label: str
    pattern: str


RUBRICS: tuple[Rubric, ...] = (
    Rubric("doelgroep", "Doelgroep(en)", r"doelgroep(en|\(en\))?"),
    Rubric(
        "huidig-landschap", "Huidig landschap", r"huidige?\s+(zorg)?landschap|huidig(e)? aanbod"
    ),
    Rubric("ontwikkelopgaven", "Ontwikkelopgaven", r"ontwikkelopgave(n)?"),
    Rubric("inkoopdoelen", "Inkoopdoelen", r"inkoopdoel(en)?"),
    Rubric("toegangsmanagement", "Toegangsmanagement", r"toegangsmanagement"),
    Rubric("leveranciersmanagement", "Leveranciersmanagement", r"leveranciersmanagement"),
    Rubric("contractvorm", "Contractvorm", r"contract(vorm)?"),
    Rubric("bekostigingsmodel", "Bekostigingsmodel", r"bekostiging(smodel)?"),
    Rubric("inkoopmodel", "Inkoopmodel", r"inkoopmodel"),
    Rubric("randvoorwaarden", "Randvoorwaarden", r"randvoorwaarde(n)?"),
    Rubric("stakeholders", "Stakeholders", r"stakeholders?"),
    Rubric("onderzoeksvragen", "Onderzoeksvragen", r"onderzoeksvra(ag|gen)"),
    Rubric("planning", "Planning", r"planning"),
    Rubric(
        "raakvlak-andere-segmenten",
        "Raakvlak met andere segmenten",
        r"raakvlak(ken)?( met)?( andere)? segment(en)?",
    ),
)

_COMPILED = [(r, re.compile(rf"^\s*(?:{r.pattern})\s*:?\s*$", re.I)) for r in RUBRICS]
BY_KEY: dict[str, Rubric] = {r.key: r for r in RUBRICS}


def match_rubric(label: str) -> Rubric | None:
    """Return the rubric a heading label names (``"Doelgroep(en)"`` → doelgroep), else None."""
    for rubric, regex in _COMPILED:
        if regex.match(label):
            return rubric
    return None
