/* gongkai search page: the typed query back in the search box, in any browser (ES3, no
 * dependency), before and whether or not the search engine starts. With search.js unable to
 * run, the page then shows what was asked and the message of search.md.j2 on what to do.
 * It runs before the first paint, so the results' room is kept from the start (search.css:
 * gk-search--query): the footer is not pushed down when they arrive (no layout shift). */
(function () {
  var box = document.getElementById("gk-q"), parts = location.search.replace(/^\?/, "").split("&");
  var page = document.getElementById("gk-search");
  if (!box || box.value) return;
  for (var i = 0; i < parts.length; i++) {
    if (parts[i].indexOf("q=") !== 0 || parts[i].length < 3) continue;
    if (page) page.className += " gk-search--query";
    try {
      box.value = decodeURIComponent(parts[i].slice(2).replace(/\+/g, " "));
    } catch (e) {
      box.value = parts[i].slice(2);
    }
    return;
  }
})();
