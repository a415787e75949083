/*
 * "Zoeken in beleid": the search page of the site, talking to the API of `kb serve`.
 *
 * Document text is untrusted: it may contain <script> or other markup. Every piece of it is
 * put into the page with textContent / createTextNode, never innerHTML, so it shows literally.
 * The snippet's highlights arrive as **word** marks and become <mark> elements built the same way.
 *
 * Without the server (file://, plain static hosting) the page keeps its notice that points to
 * the site's built-in search.
 */
(function () {
  "use strict";

  var API = "/api";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function link(href, text, className) {
    var a = el("a", className, text);
    a.setAttribute("href", href);
    return a;
  }

  /* "a **b** c" -> text nodes and <mark> elements (never parsed as HTML). */
  function snippetNode(snippet) {
    var p = el("p", "kb-zoeken__snippet");
    String(snippet || "").split("**").forEach(function (part, i) {
      if (!part) return;
      p.appendChild(i % 2 === 1 ? el("mark", null, part) : document.createTextNode(part));
    });
    return p;
  }

  function fillSelect(select, values, labels) {
    values.forEach(function (value) {
      var option = el("option", null, (labels && labels[value]) || value);
      option.value = String(value);
      select.appendChild(option);
    });
  }

  /* Regions and subregions in two groups of one list (the API keeps them apart). */
  function fillRegions(select, filters) {
    var groups = filters.region_groups;
    if (!groups) {
      fillSelect(select, filters.regions || []);
      return;
    }
    [["Regio's", groups.regions || []], ["Subregio's", groups.subregions || []]].forEach(
      function (pair) {
        if (!pair[1].length) return;
        var group = el("optgroup");
        group.label = pair[0];
        fillSelect(group, pair[1]);
        select.appendChild(group);
      }
    );
  }

  /* Relevance as a bar relative to the best passage: no raw scores. */
  function relevanceBar(score, best) {
    var share = best > 0 ? Math.max(0, Math.min(1, score / best)) : 0;
    var word = share >= 0.75 ? "hoog" : share >= 0.4 ? "middel" : "laag";
    var bar = el("span", "kb-zoeken__relevance");
    bar.setAttribute("role", "img");
    bar.setAttribute("aria-label", "Relevantie: " + word);
    bar.title = "Relevantie: " + word;
    var fill = el("span");
    fill.style.width = Math.round(share * 100) + "%";
    bar.appendChild(fill);
    return bar;
  }

  function trail(sectionPath) {
    var nav = el("nav", "kb-zoeken__trail");
    nav.setAttribute("aria-label", "Plaats in het document");
    var list = el("ol");
    sectionPath.forEach(function (part) { list.appendChild(el("li", null, part)); });
    nav.appendChild(list);
    return nav;
  }

  function renderAnswer(card, links) {
    var article = el("article", "kb-zoeken__answer");
    var heading = el("h2", null, card.question_label + (card.entity ? " · " + card.entity : ""));
    article.appendChild(heading);
    var value = el("p", "kb-zoeken__answer-value");
    value.appendChild(el("span", "kb-zoeken__value", card.value));
    if (card.detail) value.appendChild(el("span", "kb-zoeken__meta", " (" + card.detail + ")"));
    var status = card.status === "bevestigd" ? "Bevestigd" : "Voorgesteld, nog niet bevestigd";
    value.appendChild(
      el("span", "kb-zoeken__status-tag kb-zoeken__status-tag--" + card.status, status)
    );
    article.appendChild(value);
    var quote = el("blockquote", "kb-zoeken__quote", "“" + card.quote + "”");
    article.appendChild(quote);
    var source = el("p", "kb-zoeken__meta");
    var passageUrl = card.passage_id && links.passages[card.passage_id];
    var label = "Bron: " + (card.document || card.document_id || "") +
      (card.fact_type ? " · " + card.fact_type : "");
    source.appendChild(
      passageUrl ? link(passageUrl, label, "kb-zoeken__answer-source") : el("span", null, label)
    );
    article.appendChild(source);
    return article;
  }

  function renderHit(hit, links, kindLabels, best) {
    var li = el("li", "kb-zoeken__hit");
    if (hit.section_path && hit.section_path.length) li.appendChild(trail(hit.section_path));
    li.appendChild(snippetNode(hit.snippet));

    var foot = el("div", "kb-zoeken__foot");
    foot.appendChild(relevanceBar(hit.score, best));
    var passageUrl = links.passages[hit.passage_id];
    if (passageUrl) {
      foot.appendChild(link(passageUrl, "Naar de passage in de bron", "kb-zoeken__passage"));
    }
    (hit.entities || []).forEach(function (entity) {
      var url = links.entities[entity.iri];
      var kind = kindLabels[entity.type];
      var label = entity.label + (kind ? " (" + kind + ")" : "");
      foot.appendChild(
        url ? link(url, label, "kb-zoeken__entity") : el("span", "kb-zoeken__entity", label)
      );
    });
    li.appendChild(foot);
    return li;
  }

  /* Hits grouped per document, documents in the order of their best passage. */
  function renderResults(results, hits, links, labels) {
    var best = hits.reduce(function (m, h) { return Math.max(m, Number(h.score) || 0); }, 0);
    var groups = [];
    var byDoc = {};
    hits.forEach(function (hit) {
      if (!byDoc[hit.document_id]) {
        byDoc[hit.document_id] = { first: hit, hits: [] };
        groups.push(byDoc[hit.document_id]);
      }
      byDoc[hit.document_id].hits.push(hit);
    });
    groups.forEach(function (group) {
      var hit = group.first;
      var li = el("li", "kb-zoeken__docgroup");
      var head = el("div", "kb-zoeken__head");
      var docUrl = links.documents[hit.document_id];
      head.appendChild(
        docUrl ? link(docUrl, hit.document_title, "kb-zoeken__doc")
               : el("span", "kb-zoeken__doc", hit.document_title)
      );
      var docType = labels.docTypes[hit.doc_type] || hit.doc_type;
      var meta = [docType, hit.year, hit.region].filter(Boolean).join(" · ");
      if (meta) head.appendChild(el("span", "kb-zoeken__meta", " (" + meta + ")"));
      li.appendChild(head);
      var list = el("ol", "kb-zoeken__hits");
      group.hits.forEach(function (h) {
        list.appendChild(renderHit(h, links, labels.kinds, best));
      });
      li.appendChild(list);
      results.appendChild(li);
    });
    return groups.length;
  }

  function setup() {
    var root = document.getElementById("kb-zoeken");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var offline = document.getElementById("kb-zoeken-offline");
    var form = document.getElementById("kb-zoeken-form");
    var input = document.getElementById("kb-zoeken-q");
    var segment = document.getElementById("kb-zoeken-segment");
    var region = document.getElementById("kb-zoeken-region");
    var docType = document.getElementById("kb-zoeken-doctype");
    var year = document.getElementById("kb-zoeken-year");
    var status = document.getElementById("kb-zoeken-status");
    var answers = document.getElementById("kb-zoeken-answers");
    var results = document.getElementById("kb-zoeken-results");
    var labels = { docTypes: {}, kinds: {} };
    var pending = null;
    // Filter → [API parameter, parameter of the page's own address].
    var filters = [
      [segment, "segment", "segment"],
      [region, "region", "regio"],
      [docType, "doc_type", "soort"],
      [year, "year", "jaar"]
    ];

    if (location.protocol === "file:") return; // no server behind a file: keep the notice

    function search() {
      var q = input.value.trim();
      if (!q) return;
      var params = new URLSearchParams({ q: q, top_k: "10" });
      // The page's own address keeps the search (shareable). Not "?q=": MkDocs Material opens
      // its own search overlay for that parameter.
      var own = new URLSearchParams({ vraag: q });
      filters.forEach(function (f) {
        if (f[0].value) {
          params.set(f[1], f[0].value);
          own.set(f[2], f[0].value);
        }
      });
      history.replaceState(null, "", "?" + own.toString());
      if (pending) pending.abort();
      pending = new AbortController();
      status.textContent = "Zoeken…";
      fetch(API + "/search?" + params.toString(), { signal: pending.signal })
        .then(function (response) {
          return response.json().then(function (body) { return [response.ok, body]; });
        })
        .then(function (answer) {
          var ok = answer[0], body = answer[1];
          results.replaceChildren();
          answers.replaceChildren();
          answers.hidden = true;
          if (!ok) {
            status.textContent = body.error || "Er ging iets mis.";
            return;
          }
          (body.answers || []).forEach(function (card) {
            answers.appendChild(renderAnswer(card, body.links));
          });
          answers.hidden = !(body.answers || []).length;
          var docs = renderResults(results, body.hits, body.links, labels);
          status.textContent = body.hits.length
            ? body.hits.length + " passages in " + docs +
              (docs === 1 ? " document" : " documenten") + " gevonden voor “" + body.query + "”"
            : "Geen passages gevonden; probeer het zonder filters of met andere woorden.";
        })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          status.textContent = "De zoekdienst antwoordt niet: " + error.message;
        });
    }

    fetch(API + "/filters")
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        labels.docTypes = body.doc_type_labels || {};
        labels.kinds = body.kind_labels || {};
        fillSelect(segment, body.segments || []);
        fillRegions(region, body);
        fillSelect(docType, body.doc_types || [], labels.docTypes);
        fillSelect(year, body.years || []);
        root.classList.add("kb-zoeken--online");
        if (offline) offline.hidden = true;
        var params = new URLSearchParams(location.search);
        filters.forEach(function (f) {
          if (params.get(f[2])) f[0].value = params.get(f[2]);
        });
        if (params.get("vraag")) {
          input.value = params.get("vraag");
          search();
        }
      })
      .catch(function () { /* no API here: the notice stays */ });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      search();
    });
    filters.forEach(function (f) { f[0].addEventListener("change", search); });
  }

  // MkDocs Material's instant navigation swaps pages without reloading: hook into its stream.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
