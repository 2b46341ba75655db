// Pagefind loads its index with fetch(), which a browser refuses for pages opened as files (a site shared on a
// file server): there the page searches the pages' text that search-data.js carries, word by substring.
(function () {
  var params = new URLSearchParams(location.search);
  var query = params.get("q") || "";
  if (location.protocol === "file:") {
    offline(query);
    return;
  }
  var script = document.createElement("script");
  script.src = "pagefind/pagefind-ui.js";
  script.onload = function () {
    new PagefindUI({ element: "#search", showSubResults: true, showImages: false,
                     translations: { placeholder: "検索する語（例: ジェネリック）", zero_results: "「[SEARCH_TERM]」は見つかりません" } });
    if (query) {
      var input = document.querySelector("#search input");
      if (input) { input.value = query; input.dispatchEvent(new Event("input", { bubbles: true })); }
    }
  };
  document.head.appendChild(script);

  // Each character folded on its own (full-width and half-width alike, Ⅲ as III, case ignored), with where each
  // folded character came from, so a hit found in the folded text is marked in the text as written.
  function folded(text) {
    var out = "", from = [], at = 0;
    Array.from(text).forEach(function (character) {
      var piece = character.normalize("NFKC").toLowerCase();
      for (var k = 0; k < piece.length; k++) { from.push(at); }
      out += piece;
      at += character.length;
    });
    from.push(text.length);
    return { text: out, from: from };
  }

  function fold(text) {
    return folded(text).text;
  }

  // Text only through textContent: a plan's words are never read as HTML.
  function excerpt(block, term) {
    var item = document.createElement("li");
    var map = folded(block);
    var found = map.text.indexOf(term);
    var at = map.from[found], end = map.from[found + term.length];
    var start = Math.max(0, at - 40), stop = Math.min(block.length, end + 80);
    item.appendChild(document.createTextNode((start > 0 ? "…" : "") + block.slice(start, at)));
    var mark = document.createElement("mark");
    mark.textContent = block.slice(at, end);
    item.appendChild(mark);
    item.appendChild(document.createTextNode(block.slice(end, stop) + (stop < block.length ? "…" : "")));
    return item;
  }

  function show(pages, results, text) {
    results.textContent = "";
    var terms = fold(text).split(/\s+/).filter(Boolean);
    if (!terms.length) { return; }
    var found = 0;
    pages.forEach(function (page) {
      var hits = page.b.filter(function (block) { return fold(block).indexOf(terms[0]) >= 0; });
      var all = fold(page.t + " " + page.b.join(" "));
      if (!hits.length || !terms.every(function (term) { return all.indexOf(term) >= 0; })) { return; }
      found += 1;
      var entry = document.createElement("li");
      entry.className = "offline-result";
      var link = document.createElement("a");
      link.href = page.u;
      link.className = "offline-result-link";
      link.textContent = page.t || page.u;
      entry.appendChild(link);
      var excerpts = document.createElement("ul");
      hits.slice(0, 3).forEach(function (block) { excerpts.appendChild(excerpt(block, terms[0])); });
      entry.appendChild(excerpts);
      results.appendChild(entry);
    });
    var count = document.getElementById("offline-count");
    count.textContent = found ? found + " ページ" : "「" + text + "」は見つかりません";
  }

  function offline(initial) {
    document.getElementById("search-file-note").hidden = false;
    var data = document.createElement("script");
    data.src = "search-data.js";
    var count = document.getElementById("offline-count");
    data.onerror = function () {
      count.hidden = false;
      count.textContent = "検索用のデータ（search-data.js）がありません。サイトを作り直してください。";
    };
    data.onload = function () {
      var box = document.getElementById("search");
      var input = document.createElement("input");
      input.type = "search";
      input.placeholder = "検索する語（例: ジェネリック）";
      input.setAttribute("aria-label", "検索する語");
      input.value = initial;
      count.hidden = false;
      var results = document.createElement("ol");
      results.id = "offline-results";
      box.appendChild(input);
      box.parentNode.insertBefore(results, count.nextSibling);
      input.addEventListener("input", function () { show(window.KENPO_SEARCH || [], results, input.value); });
      show(window.KENPO_SEARCH || [], results, initial);
    };
    document.head.appendChild(data);
  }
})();
