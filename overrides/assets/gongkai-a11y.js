/* 长者版 (large text, high contrast) switch. The choice lives in
 * localStorage so it follows the visitor from page to page; without
 * JavaScript the button stays hidden rather than doing nothing. */
(function () {
  "use strict";
  var KEY = "gk-elder";
  var root = document.documentElement;
  var button = document.getElementById("gk-elder-toggle");
  if (!button) return;
  var state = button.querySelector(".gk-elder-state");

  function show(on) {
    root.classList.toggle("gk-elder", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    // The name stays "长者版" (aria-pressed says on/off); sighted visitors see the state.
    state.textContent = on ? "（已开启）" : "";
  }

  function remember(on) {
    try {
      if (on) localStorage.setItem(KEY, "1");
      else localStorage.removeItem(KEY);
    } catch (e) { /* private mode: the switch still works on this page */ }
  }

  show(root.classList.contains("gk-elder"));
  button.hidden = false;
  button.addEventListener("click", function () {
    var on = !root.classList.contains("gk-elder");
    show(on);
    remember(on);
  });
})();
