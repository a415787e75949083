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

  function fillSelect(select, values) {
    values.forEach(function (value) {
      var option = el("option", null, value);
      option.value = value;
      select.appendChild(option);
    });
  }

  function renderHit(hit, links) {
    var li = el("li", "kb-zoeken__hit");
    var head = el("div", "kb-zoeken__head");
    var docUrl = links.documents[hit.document_id];
    head.appendChild(
      docUrl ? link(docUrl, hit.document_title, "kb-zoeken__doc")
             : el("span", "kb-zoeken__doc", hit.document_title)
    );
    var meta = [hit.doc_type, hit.year, hit.region].filter(Boolean).join(" · ");
    if (meta) head.appendChild(el("span", "kb-zoeken__meta", " (" + meta + ")"));
    li.appendChild(head);
    if (hit.section) li.appendChild(el("div", "kb-zoeken__section", "§ " + hit.section));
    li.appendChild(snippetNode(hit.snippet));

    var foot = el("div", "kb-zoeken__foot");
    var passageUrl = links.passages[hit.passage_id];
    if (passageUrl) {
      foot.appendChild(link(passageUrl, "Naar de passage in de bron", "kb-zoeken__passage"));
    }
    (hit.entities || []).forEach(function (entity) {
      var url = links.entities[entity.iri];
      var label = entity.label + " (" + entity.type + ")";
      foot.appendChild(
        url ? link(url, label, "kb-zoeken__entity") : el("span", "kb-zoeken__entity", label)
      );
    });
    foot.appendChild(el("span", "kb-zoeken__score", "score " + Number(hit.score).toFixed(3)));
    li.appendChild(foot);
    return li;
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
    var status = document.getElementById("kb-zoeken-status");
    var results = document.getElementById("kb-zoeken-results");
    var pending = null;

    if (location.protocol === "file:") return; // no server behind a file: keep the notice

    function search() {
      var q = input.value.trim();
      if (!q) return;
      var params = new URLSearchParams({ q: q, top_k: "10" });
      if (segment.value) params.set("segment", segment.value);
      if (region.value) params.set("region", region.value);
      // The page's own address keeps the search (shareable). Not "?q=": MkDocs Material opens
      // its own search overlay for that parameter.
      var own = new URLSearchParams({ vraag: q });
      if (segment.value) own.set("segment", segment.value);
      if (region.value) own.set("regio", region.value);
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
          if (!ok) {
            status.textContent = body.error || "Er ging iets mis.";
            return;
          }
          status.textContent = body.hits.length
            ? body.hits.length + " passages gevonden voor “" + body.query + "”"
            : "Geen passages gevonden; probeer het zonder filters of met andere woorden.";
          body.hits.forEach(function (hit) { results.appendChild(renderHit(hit, body.links)); });
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
      .then(function (filters) {
        fillSelect(segment, filters.segments || []);
        fillSelect(region, filters.regions || []);
        root.classList.add("kb-zoeken--online");
        if (offline) offline.hidden = true;
        var params = new URLSearchParams(location.search);
        if (params.get("segment")) segment.value = params.get("segment");
        if (params.get("regio")) region.value = params.get("regio");
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
    segment.addEventListener("change", search);
    region.addEventListener("change", search);
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
