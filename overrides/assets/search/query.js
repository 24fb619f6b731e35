/* gongkai search page: the typed query back in the search box, in any browser (ES3, no
 * dependency), before and whether or not the search engine starts. With search.js unable to
 * run, the page then shows what was asked and the message of search.md.j2 on what to do. */
(function () {
  var box = document.getElementById("gk-q"), parts = location.search.replace(/^\?/, "").split("&");
  if (!box || box.value) return;
  for (var i = 0; i < parts.length; i++) {
    if (parts[i].indexOf("q=") !== 0) continue;
    try {
      box.value = decodeURIComponent(parts[i].slice(2).replace(/\+/g, " "));
    } catch (e) {
      box.value = parts[i].slice(2);
    }
    return;
  }
})();
