/* The web editor's preview pane (Decap CMS at /admin/): an item as its page will show it, in
 * the site's own stylesheets, with the 信息索引 box and the 草稿 banner. Loaded before
 * decap-cms.js; gongkai's renderer writes the layout in place of __GK_PREVIEW__ (the rows of
 * the item page's metadata box, read from its template, the banner's text, the collections).
 * Decap is started by hand (CMS_MANUAL_INIT) once the site's stylesheets are known, so the
 * first preview already has them. */
(function (layout) {
  "use strict";
  window.CMS_MANUAL_INIT = true;

  /* A form value as the page prints it: lists joined with 、, nothing for an empty value. */
  function text(value) {
    if (value === null || value === undefined) return "";
    if (value && typeof value.toJS === "function") value = value.toJS();
    if (Object.prototype.toString.call(value) === "[object Array]") return value.join("、");
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return String(value);
  }

  function field(entry, name) {
    return entry.getIn(["data", name]);
  }

  function truthy(value) {
    return value === true || value === "true";
  }

  function cell(h, entry, spec) {
    var value = text(field(entry, spec.label));
    if (spec.label !== layout.status) return value;
    /* 有效性: the badge and the date it ceased, as the item page's status_badge and row */
    var status = value || layout.status_default;
    var badge = h("span", { className: "gk-status gk-status--" + (status === layout.status_default ? "valid" : "invalid") },
      status);
    var repealed = text(field(entry, layout.repealed));
    return repealed ? [badge, "（" + repealed + " " + status + "）"] : badge;
  }

  function metaBox(h, entry) {
    var rows = [];
    for (var r = 0; r < layout.rows.length; r++) {
      var cells = [];
      for (var c = 0; c < layout.rows[r].length; c++) {
        var spec = layout.rows[r][c];
        cells.push(h("th", { scope: "row", key: "h" + c }, spec.label));
        cells.push(h("td", { key: "d" + c, colSpan: spec.colspan || undefined }, cell(h, entry, spec)));
      }
      rows.push(h("tr", { key: r }, cells));
    }
    return h("div", { className: "gk-table-wrap" },
      h("table", { className: "gk-meta" }, h("caption", null, layout.caption), h("tbody", null, rows)));
  }

  function makePreview(h, createClass) {
    return createClass({
      render: function () {
        var entry = this.props.entry;
        var parts = [];
        if (truthy(field(entry, layout.draft))) {
          parts.push(h("div", { key: "banner", className: "admonition danger gk-preview-notice", role: "note" },
            h("p", { className: "admonition-title" }, layout.draft_notice)));
        }
        parts.push(h("div", { key: "top", className: "gk-item-top" }, metaBox(h, entry),
          h("h1", null, text(field(entry, layout.title)))));
        parts.push(h("div", { key: "body", className: "gk-preview-body" }, this.props.widgetFor(layout.body)));
        /* Material's frame around a page's text: its margins and type */
        return h("div", { className: "md-content" }, h("article", { className: "md-content__inner md-typeset" }, parts));
      }
    });
  }

  /* The site's stylesheets, as its home page links them (their names carry content hashes). */
  function siteStyles(done) {
    var request = new XMLHttpRequest();
    var finished = false;
    function finish(hrefs) {
      if (finished) return;
      finished = true;
      done(hrefs);
    }
    request.onload = function () {
      var doc = request.responseXML;
      var links = doc ? doc.querySelectorAll("link[rel=stylesheet][href]") : [];
      var hrefs = [];
      var a = document.createElement("a");
      for (var i = 0; i < links.length; i++) {
        a.href = links[i].href;  /* resolved against the home page's address */
        if (a.host === window.location.host) hrefs.push(a.href);  /* the same host only */
      }
      finish(hrefs);
    };
    request.onerror = function () { finish([]); };
    request.open("GET", layout.site);
    request.responseType = "document";
    request.send();
  }

  /* Decap 3.16's Chinese phrases have no text for the Forgejo login button, which would show
   * in English; the phrases are Decap's own object, read when cms.init() starts the editor. */
  function completePhrases(cms) {
    var zh = typeof cms.getLocale === "function" ? cms.getLocale("zh_Hans") : null;
    if (zh && zh.auth && !zh.auth.loginWithForgejo) zh.auth.loginWithForgejo = "使用 Forgejo 登录";
  }

  function start() {
    var cms = window.CMS;
    if (!cms) return;
    completePhrases(cms);
    var preview = makePreview(window.h, window.createClass);
    for (var i = 0; i < layout.collections.length; i++) {
      cms.registerPreviewTemplate(layout.collections[i], preview);
    }
    siteStyles(function (hrefs) {
      for (var j = 0; j < hrefs.length; j++) cms.registerPreviewStyle(hrefs[j]);
      cms.init();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})(__GK_PREVIEW__);
