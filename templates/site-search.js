// Pagefind loads its index with fetch(), which a browser refuses for file:// pages: say so instead of failing.
(function () {
  if (location.protocol === "file:") {
    document.getElementById("search-file-note").hidden = false;
    return;
  }
  var script = document.createElement("script");
  script.src = "pagefind/pagefind-ui.js";
  script.onload = function () {
    new PagefindUI({ element: "#search", showSubResults: true, showImages: false,
                     translations: { placeholder: "検索する語（例: ジェネリック）", zero_results: "「[SEARCH_TERM]」は見つかりません" } });
    var params = new URLSearchParams(location.search);
    var query = params.get("q");
    if (query) {
      var input = document.querySelector("#search input");
      if (input) { input.value = query; input.dispatchEvent(new Event("input", { bubbles: true })); }
    }
  };
  document.head.appendChild(script);
})();
