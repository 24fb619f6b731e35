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

  /* A table wider than the screen scrolls inside its wrapper; keyboard users
   * can only scroll it if the wrapper takes focus (WCAG 2.1.1), so wrappers
   * that overflow become named, focusable regions. Re-checked on resize and
   * on mode switch, since both change what overflows. */
  /* Region names must differ from each other: the caption, else the nearest
   * heading above, else the table's number on the page. */
  function tableName(wrap, index) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.trim() + " 第" + (index + 1) + "个";
    }
    return "第" + (index + 1) + "个";
  }

  function markScrollable() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap, .gk-table-wrap");
    Array.prototype.forEach.call(wraps, function (wrap, index) {
      if (wrap.querySelector(".md-typeset__scrollwrap")) return; // the inner one scrolls
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", tableName(wrap, index) + "（表格，可左右滚动）");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  var pending = 0;
  function later() {
    clearTimeout(pending);
    pending = setTimeout(markScrollable, 100);
  }
  document.addEventListener("DOMContentLoaded", markScrollable);
  window.addEventListener("load", markScrollable);
  window.addEventListener("resize", later);

  /* Material's menu button is a <label> for a hidden checkbox: a mouse can
   * use it, a keyboard cannot. Put a real button in its place, move focus
   * into the drawer when it opens, and let Escape close it. */
  var drawer = document.getElementById("__drawer");
  var label = document.querySelector('.md-header label[for="__drawer"]');
  var nav = document.querySelector(".md-sidebar--primary");
  if (drawer && label && nav) {
    var menu = document.createElement("button");
    menu.type = "button";
    menu.className = label.className + " gk-menu-button";
    menu.innerHTML = label.innerHTML;
    menu.setAttribute("aria-label", "导航菜单");
    nav.id = nav.id || "gk-drawer-nav";
    menu.setAttribute("aria-controls", nav.id);
    label.parentNode.insertBefore(menu, label);
    root.classList.add("gk-menu");
    var sync = function () { menu.setAttribute("aria-expanded", drawer.checked ? "true" : "false"); };
    var set = function (open) {
      drawer.checked = open;
      drawer.dispatchEvent(new Event("change"));
      sync();
    };
    sync();
    drawer.addEventListener("change", sync);
    menu.addEventListener("click", function (event) {
      set(!drawer.checked);
      // a keyboard press has no pointer position: then focus goes into the drawer
      if (drawer.checked && event.detail === 0) {
        var first = nav.querySelector("a[href]");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        set(false);
        menu.focus();
      }
    });
  }

  show(root.classList.contains("gk-elder"));
  button.hidden = false;
  button.addEventListener("click", function () {
    var on = !root.classList.contains("gk-elder");
    show(on);
    remember(on);
    markScrollable();
  });
})();
