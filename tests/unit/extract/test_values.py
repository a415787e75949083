"""Dutch numbers, dates and durations in prose (kb.extract.values): invented sentences."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kb.extract.values import (
    find_dates,
    find_durations,
    find_numbers,
    parse_date,
    parse_duration,
    parse_number,
    parse_number_word,
    parse_ordinal,
)


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("een", "1"),
        ("één", "1"),
        ("negen", "9"),
        ("negentien", "19"),
        ("twintig", "20"),
        ("vijfentwintig", "25"),
        ("negentig", "90"),
        ("honderd", "100"),
        ("tweehonderd", "200"),
        ("duizend", "1000"),
        ("tweeënhalf", "2.5"),
        ("anderhalf", "1.5"),
        ("half", "0.5"),
        ("Zes", "6"),
    ],
)
def test_number_words(word: str, value: str) -> None:
    assert parse_number_word(word) == Decimal(value)


@pytest.mark.parametrize("word", ["jaar", "en", "de", "periode", "eerste", ""])
def test_words_that_are_no_numbers(word: str) -> None:
    assert parse_number_word(word) is None


def test_ordinals() -> None:
    assert [parse_ordinal(w) for w in ("eerste", "tweede", "derde", "vierde", "3e", "2de")] == [
        1,
        2,
        3,
        4,
        3,
        2,
    ]
    assert parse_ordinal("jaar") is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("4.000", "4000", None),
        ("1,5", "1.5", None),
        ("€ 2,3 miljoen", "2300000", "EUR"),
        ("2,3 mln", "2300000", None),
        ("€ 1.250.000", "1250000", "EUR"),
        ("40 procent", "40", "%"),
    ],
)
def test_digits_with_dutch_separators(text: str, value: str, unit: str | None) -> None:
    q = parse_number(text)
    assert q is not None
    assert q.value == Decimal(value)
    assert q.unit == unit
    assert q.text == text


@pytest.mark.parametrize(
    ("text", "qualifier", "bound"),
    [
        ("circa 4.000", "circa", "approximately"),
        ("ongeveer 60", "ongeveer", "approximately"),
        ("ruim vijftig", "ruim", "more_than"),
        ("bijna tweehonderd", "bijna", "less_than"),
        ("ten minste drie", "ten minste", "at_least"),
        ("minimaal 5", "minimaal", "at_least"),
        ("maximaal 7", "maximaal", "at_most"),
        ("ten hoogste vijf", "ten hoogste", "at_most"),
        ("zo'n 200", "zo'n", "approximately"),
        ("rond de 60", "rond de", "approximately"),
        ("ca 6800", "ca", "approximately"),
    ],
)
def test_approximations_are_kept_as_qualifier(text: str, qualifier: str, bound: str) -> None:
    sentence = f"Het gaat om {text} aanbieders."
    [q] = find_numbers(sentence)
    assert (q.qualifier, q.bound) == (qualifier, bound)
    assert sentence[q.start : q.end] == text


def test_numbers_in_a_sentence_with_their_spans() -> None:
    text = (
        "Voor een periode van zes jaar gaan de gemeenten in zee met ruim vijftig aanbieders, "
        "nu zijn dat er bijna tweehonderd."
    )
    found = find_numbers(text)
    assert [(q.value, q.qualifier) for q in found] == [
        (6, None),
        (50, "ruim"),
        (200, "bijna"),
    ]
    assert all(text[q.start : q.end] == q.text for q in found)


@pytest.mark.parametrize(
    "text",
    [
        "Zie pagina 7 van het inkoopkader.",
        "Dit volgt uit artikel 2.8 van de Jeugdwet.",
        "Bel 071 516 5000 of 06-12345678 voor vragen.",
        "Inkoopkader 2025 | blz. 12",
        "Zie paragraaf 3.2.1 en hoofdstuk 4.",
        "De bijeenkomst begint om 12:30 uur.",
    ],
)
def test_references_and_phone_numbers_are_no_quantities(text: str) -> None:
    assert [q for q in find_numbers(text) if not q.is_year_like] == []


def test_a_reference_word_must_be_a_whole_word() -> None:
    assert [q.value for q in find_numbers("De top 5 van de aanbieders, zie p. 7.")] == [5]


def test_een_is_an_article_unless_asked() -> None:
    assert find_numbers("Er komt een nieuwe aanbesteding.") == []
    assert parse_number("een") is not None


def test_a_year_is_year_like() -> None:
    [q] = find_numbers("Dat gebeurde in 2025.")
    assert q.is_year_like
    [q] = find_numbers("Dat gaat om 4.000 kinderen.")
    assert not q.is_year_like


def test_month_names_come_from_the_vocabulary_module() -> None:
    # One source of month words (kb.rdf.vocabulary): abbreviations and cut-short forms too.
    for word, month in (("juli", 7), ("mrt", 3), ("sept.", 9), ("febr", 2)):
        [d] = find_dates(f"op 3 {word} 2024")
        assert (d.month, d.day, d.year) == (month, 3, 2024)


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("1 juli 2025", "2025-07-01", "day"),
        ("1-7-2022", "2022-07-01", "day"),
        ("01-07-2022", "2022-07-01", "day"),
        ("juli 2025", "2025-07", "month"),
        ("medio 2025", "2025", "year"),
        ("begin 2026", "2026", "year"),
        ("eind 2024", "2024", "year"),
        ("het tweede kwartaal van 2025", "2025-Q2", "quarter"),
        ("Q3 2025", "2025-Q3", "quarter"),
        ("3e kwartaal 2025", "2025-Q3", "quarter"),
        ("de eerste helft van 2026", "2026-H1", "half"),
        ("31 december 2030", "2030-12-31", "day"),
    ],
)
def test_dates_with_their_precision(text: str, iso: str, precision: str) -> None:
    sentence = f"Dat is gepland voor {text}."
    [d] = find_dates(sentence)
    assert (d.iso, d.precision) == (iso, precision)
    assert sentence[d.start : d.end] == d.text == text


def test_parts_of_a_period_are_kept() -> None:
    assert [parse_date(t).part for t in ("medio 2025", "begin 2026", "eind 2024")] == [  # type: ignore[union-attr]
        "medio",
        "begin",
        "eind",
    ]
    d = parse_date("medio juli 2025")
    assert d is not None and (d.precision, d.month, d.part) == ("month", 7, "medio")


def test_a_date_without_year_leaves_the_year_open() -> None:
    d = parse_date("De contracten gaan in per 1 januari.")
    assert d is not None
    assert (d.year, d.month, d.day, d.precision) == (None, 1, 1, "day")
    assert d.iso == "--01-01"
    assert d.as_date() is None


@pytest.mark.parametrize(
    "text", ["31 februari 2025", "45-13-2022", "Bel 06-12-2022-11", "het vijfde kwartaal van 2025"]
)
def test_impossible_dates_are_not_dates(text: str) -> None:
    assert all(d.precision != "day" or d.as_date() is not None for d in find_dates(text))
    assert "2022-13" not in [d.iso[:7] for d in find_dates(text)]
    assert not any(d.precision == "quarter" for d in find_dates(text))


@pytest.mark.parametrize(
    ("text", "initial", "extensions", "minimum", "maximum"),
    [
        ("zes jaar", 6, (), 6, 6),
        ("4+2 jaar", 4, (2,), 4, 6),
        ("3+2+2 jaar", 3, (2, 2), 3, 7),
        (
            "een periode van vier jaar met de mogelijkheid tot twee keer twee jaar verlenging",
            4,
            (2, 2),
            4,
            8,
        ),
        ("minimaal 5 maximaal 7 jaar", None, (), 5, 7),
        ("ten minste drie en ten hoogste vijf jaar", None, (), 3, 5),
        ("drie jaar met een optie tot verlenging van 2 x 1 jaar", 3, (1, 1), 3, 5),
        ("twee jaar, die tweemaal met een jaar kan worden verlengd", 2, (1, 1), 2, 4),
        ("anderhalf jaar", Decimal("1.5"), (), Decimal("1.5"), Decimal("1.5")),
        ("maximaal vier jaar", None, (), None, 4),
        ("minimaal 2 tot max 4 jaar", None, (), 2, 4),
        ("7 -10 jaar", None, (), 7, 10),
        ("een jaar verlenging", None, (1,), None, None),
    ],
)
def test_durations(
    text: str,
    initial: object,
    extensions: tuple[int, ...],
    minimum: object,
    maximum: object,
) -> None:
    sentence = f"De overeenkomst heeft een looptijd van {text}."
    [d] = find_durations(sentence)
    assert d.initial_years == initial
    assert d.extension_years == extensions
    assert (d.minimum_years, d.maximum_years) == (minimum, maximum)
    assert sentence[d.start : d.end] == d.text


def test_durations_in_months_map_to_xsd_duration() -> None:
    d = parse_duration("Het contract loopt 18 maanden.")
    assert d is not None
    assert d.to_dict()["initial"] == "P1Y6M"
    d = parse_duration("een contract voor 4+2 jaar")
    assert d is not None
    assert d.to_dict() | {"text": ""} == {
        "initial": "P4Y",
        "extensions": ["P2Y"],
        "minimum": "P4Y",
        "maximum": "P6Y",
        "qualifier": None,
        "bound": None,
        "text": "",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Twee jaar geleden startte de regio met de voorbereiding.",
        "Het gaat om jongeren tot 18 jaar.",
        "Kinderen van 0 tot 18 jaar en jongeren van 18 jaar en ouder.",
        "De nieuwe contracten gaan in op 1 januari 2025.",
        "In 2025 start de nieuwe inkoop.",
        "Zie artikel 2.8 van de Jeugdwet.",
        "Jaarlijks krijgen 4.000 jeugdigen hulp.",
        "Het is een 12 jaar oud kind.",
        "Wijzigingen worden zes maanden vooraf aangekondigd.",
        "Jeugdhulp is er voor kinderen tussen de 0 en 18 jaar.",
    ],
)
def test_no_duration(text: str) -> None:
    assert find_durations(text) == []
