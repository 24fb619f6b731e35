/* gongkai search tokens: a line-by-line port of hooks/gongkai/search/tokens.py.
 * Build and browser must produce identical tokens; tests/data/search_tokens.json
 * holds the vectors both implementations are checked against. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.GongkaiTokens = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function isHan(ch) {
    var cp = ch.codePointAt(0);
    return cp === 0x3007 || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0x20000 && cp <= 0x3134f);
  }

  function isWord(ch) {
    return (ch >= "0" && ch <= "9") || (ch >= "a" && ch <= "z");
  }

  function normalize(text) {
    return text.normalize("NFKC").replace(/[A-Z]+/g, function (m) { return m.toLowerCase(); });
  }

  var WS = "[ \\t\\r\\n\\f\\v]*";
  var WS_CHARS = " \t\r\n\f\v";
  // The Han prefix (机关代字) is found by walking back from the match, as in Python.
  var DOC_NUMBER = new RegExp("[〔\\[(【{]" + WS + "([0-9]{4}|[0-9]{2})" + WS + "[〕\\])】}]" + WS + "(第)?" +
    WS + "([0-9]+)" + WS + "(号)?", "g");
  var ORDER_NUMBER = new RegExp("令" + WS + "(?:第" + WS + "([0-9]+)" + WS + "号?|([0-9]+)" + WS + "号)", "g");
  // Python's (?<![0-9a-z]) is checked by hand: engines before Chrome 62 reject a lookbehind
  var INDEX_NUMBER = new RegExp("([0-9a-z]{18}|[0-9a-z]{9})" + WS + "/" + WS + "([0-9]{4})" + WS +
    "-" + WS + "([0-9]+)(?![0-9])", "g");

  function isPrefixHan(ch) {
    var cp = ch.charCodeAt(0);
    return cp === 0x3007 || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff);
  }

  function hanPrefix(text, pos, floor, skipSpace) {
    var end = pos;
    if (skipSpace) while (end > floor && WS_CHARS.indexOf(text[end - 1]) >= 0) end--;
    var start = end;
    while (start > floor && isPrefixHan(text[start - 1])) start--;
    return [start, end];
  }

  function overlaps(found, start, end) {
    return found.some(function (s) { return s.start < end && start < s.end; });
  }

  function specials(text) {
    var found = [], m, floor, se;
    INDEX_NUMBER.lastIndex = 0;
    while ((m = INDEX_NUMBER.exec(text))) {
      if (m.index > 0 && isWord(text.charAt(m.index - 1))) { INDEX_NUMBER.lastIndex = m.index + 1; continue; }
      var token = m[1] + "/" + m[2] + "-" + parseInt(m[3], 10);
      found.push({ start: m.index, end: m.index + m[0].length, bare: token, full: token });
    }
    DOC_NUMBER.lastIndex = 0;
    floor = 0;
    while ((m = DOC_NUMBER.exec(text))) {
      se = hanPrefix(text, m.index, floor, true);
      floor = m.index + m[0].length;
      if (overlaps(found, se[0], floor)) continue;
      var year = m[1].length === 4 ? m[1] : "20" + m[1];
      var bare = "〔" + year + "〕" + parseInt(m[3], 10) + "号";
      found.push({ start: se[0], end: floor, bare: bare, full: text.slice(se[0], se[1]) + bare });
    }
    ORDER_NUMBER.lastIndex = 0;
    floor = 0;
    while ((m = ORDER_NUMBER.exec(text))) {
      se = hanPrefix(text, m.index, floor, false);
      floor = m.index + m[0].length;
      if (overlaps(found, se[0], floor)) continue;
      var num = parseInt(m[1] || m[2], 10);
      if (num === 0) continue;
      var bareOrder = "令第" + num + "号";
      found.push({ start: se[0], end: floor, bare: bareOrder, full: text.slice(se[0], se[1]) + bareOrder });
    }
    return found.sort(function (a, b) { return a.start - b.start; });
  }

  function words(text, unigrams) {
    var out = [], run = [], word = [];
    function flushRun() {
      if (run.length === 1) out.push(run[0]);
      else {
        if (unigrams) Array.prototype.push.apply(out, run);
        for (var i = 0; i < run.length - 1; i++) out.push(run[i] + run[i + 1]);
      }
      run = [];
    }
    function flushWord() { out.push(word.join("")); word = []; }
    // code points, not UTF-16 units (an extension-B character is one Han); no for…of: ES5
    for (var k = 0; k < text.length; k++) {
      var ch = text.charAt(k), code = text.charCodeAt(k);
      if (code >= 0xd800 && code <= 0xdbff && k + 1 < text.length) ch += text.charAt(++k);
      if (isHan(ch)) { if (word.length) flushWord(); run.push(ch); }
      else if (isWord(ch)) { if (run.length) flushRun(); word.push(ch); }
      else { if (run.length) flushRun(); if (word.length) flushWord(); }
    }
    if (run.length) flushRun();
    if (word.length) flushWord();
    return out;
  }

  function tokenize(text, unigrams) {
    text = normalize(text);
    var found = specials(text), tokens = words(text, !!unigrams);
    found.forEach(function (s) {
      tokens.push(s.bare);
      if (s.full !== s.bare) tokens.push(s.full);
    });
    return tokens;
  }

  var FULL_NUMBER_BOOST = 10.0;

  function queryClauses(query) {
    var text = normalize(query), found = specials(text), clauses = [], seen = new Set();
    function add(term, required, boost) {
      if (!seen.has(term)) { seen.add(term); clauses.push({ term: term, required: required, boost: boost }); }
    }
    var rest = [], pos = 0;
    found.forEach(function (s) {
      rest.push(text.slice(pos, s.start));
      pos = s.end;
      add(s.bare, true, 1.0);
      if (s.full !== s.bare) add(s.full, false, FULL_NUMBER_BOOST);
    });
    rest.push(text.slice(pos));
    words(rest.join(" "), false).forEach(function (t) { add(t, true, 1.0); });
    return clauses;
  }

  return { normalize: normalize, specials: specials, words: words, tokenize: tokenize,
    queryClauses: queryClauses, FULL_NUMBER_BOOST: FULL_NUMBER_BOOST };
});
