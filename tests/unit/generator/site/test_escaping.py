"""Text from the graph never becomes markup on the site: Markdown, front matter, link targets,
and the pages MkDocs builds from them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDFS, SKOS

from generator.site.links import front_matter_title, md, url
from kb.rdf.namespaces import KB, KBI

HOSTILE = [
    "</title><script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=2>",
    '"><svg onload=window.__pwned=3>',
    "[klik](javascript:window.__pwned=4)",
    "<javascript:alert(5)>",
    "*[abbr]: <b>x</b> & | cel |",
    "# kop\n> citaat",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_leaves_no_html_tag_and_no_link_syntax(text: str) -> None:
    import markdown

    html = markdown.markdown(md(text), extensions=["tables", "abbr", "attr_list"])
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "<a " not in html and "<b>" not in html and "<h1" not in html
    assert "<blockquote" not in html


@pytest.mark.parametrize("text", HOSTILE)
def test_front_matter_title_is_quoted_yaml_holding_escaped_html(text: str) -> None:
    block = front_matter_title(md(text))
    assert block.startswith("---\n") and block.endswith("---\n\n")
    title = yaml.safe_load(block.strip().strip("-"))["title"]
    assert "<" not in title and ">" not in title and '"' not in title
    import html

    assert html.unescape(title) == " ".join(text.split())


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("https://identifier.overheid.nl/tooi/id/gemeente/gm0546", None),
        ("javascript:alert(1)", "#"),
        (" JavaScript:alert(1)", "#"),
        ("data:text/html,<script>", "#"),
        ("//evil.example/", "#"),
        ('https://x.nl/a b")<script>', "https://x.nl/a%20b%22%29%3Cscript%3E"),
    ],
)
def test_url_allows_only_http_and_cannot_end_the_link(address: str, expected: str | None) -> None:
    assert url(address) == (expected or address)


class _Scan(HTMLParser):
    """Everything in a page a browser would run."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key.startswith("on"):
                self.found.append(f"<{tag} {key}>")
            if key in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {key}={value}>")
        self._script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "__pwned" in data:
            self.found.append(f"<script>{data[:40]}")


def test_hostile_labels_titles_and_text_build_to_pages_without_markup(
    tiny: Graph, tmp_path: Path
) -> None:
    """Every label and title of the tiny graph gets hostile text in front; the built site has
    no script, event handler or javascript: link of it, and shows the text."""
    from generator.site.build import build_site

    graph = Graph(store="Oxigraph")
    graph += tiny
    prefix = " ".join(HOSTILE) + " "
    for prop in (DCTERMS.title, RDFS.label, SKOS.prefLabel, SKOS.definition, KB.text, KB.quote):
        for s, o in list(graph.subject_objects(prop)):
            if str(s).startswith(str(KBI)) and isinstance(o, Literal):
                graph.remove((s, prop, o))
                graph.add((s, prop, Literal(prefix + str(o), lang=o.language)))
    site = build_site(tmp_path, graph=graph).site_dir
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        scan = _Scan()
        scan.feed(page.read_text(encoding="utf-8"))
        assert scan.found == [], f"{page.relative_to(site)}: {scan.found[:3]}"
    segment = (site / "generated" / "segmenten" / "zuidhoek" / "verblijf.html").read_text()
    title = re.search(r"<title>(.*?)</title>", segment, re.S)
    assert title and "&lt;/title&gt;&lt;script&gt;" in title.group(1)
    assert "&lt;img src=x onerror=window.__pwned=2&gt;" in segment


def test_tooltip_terms_and_definitions_stay_text(tiny: Graph) -> None:
    """Abbreviations and glossary terms become ``<abbr title>`` tooltips on every page: a
    hostile term or definition is text in the element and its attribute."""
    import markdown

    from generator.site.pages import tooltips
    from kb.views.site import load_site_data

    graph = Graph()
    graph += tiny
    evil = "<img src=x onerror=window.__pwned=1>"
    # An abbreviation's tooltip shows its concept's label (and definition, if any).
    for s, o in list(graph.subject_objects(SKOS.prefLabel)):
        graph.remove((s, SKOS.prefLabel, o))
        graph.add((s, SKOS.prefLabel, Literal(f'{evil} "><script>x()</script> {o}', o.language)))
    for s in list(graph.subjects(SKOS.altLabel, None, unique=True))[:1]:
        graph.add((s, SKOS.altLabel, Literal(f"{evil}AB")))
    definitions = tooltips(load_site_data(graph))
    terms = " ".join(
        str(o) for p in (SKOS.altLabel, SKOS.prefLabel) for o in graph.objects(None, p)
    )
    text = md(f"Tekst met {evil}AB en {terms}.") + "\n\n" + definitions
    html = markdown.markdown(text, extensions=["abbr"])
    scan = _Scan()
    scan.feed(html)
    assert scan.found == []
    assert "<img" not in html and "<script" not in html
    assert html.count("<abbr") > 3  # the tooltips are there, with the hostile definitions
    assert re.search(r'title="[^"]*&lt;img src=x onerror', html), html[:600]


#: Template expressions that write no text from the graph: numbers, years, anchors, text the
#: generator makes itself (dates from numbers, charts with sanitised labels, escaped passages).
_TRUSTED = re.compile(
    r"^(y|year|YEARS\[-?\d\]|anchor|html|chart|chart\.src|chart\.svg|when\(f\)|\"[^\"]*\" if .*"
    r"|fact\.(min_age|max_age|number_of_youths)\b.*|s\.number if .*|\"#\" \* block\.level)$"
)
#: Ending in an escaping or number filter, or a helper that escapes what it writes.
_ESCAPED = re.compile(
    r"(\|(md|url|euro|number|length|e)( or \"[^\"]*\")?\)?$|^(c\.(ref|src|rel|plan_ref)"
    r"|(m|tl)\.\w+|cell|fact|proposed)\(|\|map\(\"md\"\)\|join\(.*)"
)


def test_every_template_expression_is_escaped_or_trusted() -> None:
    """A new ``{{ value }}`` in a template must escape (``|md``, ``|url``) or be a helper that
    does; only the expressions in ``_TRUSTED`` write text the generator made itself."""
    from generator.site.pages import TEMPLATES

    unescaped = []
    for template in sorted(Path(TEMPLATES).glob("*.j2")):
        for expr in re.findall(r"\{\{-?\s*(.*?)\s*-?\}\}", template.read_text(encoding="utf-8")):
            if not (_ESCAPED.search(expr) or _TRUSTED.match(expr)):
                unescaped.append(f"{template.name}: {{{{ {expr} }}}}")
    assert unescaped == []
