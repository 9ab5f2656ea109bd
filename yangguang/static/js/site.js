/* 阳光政务: small progressive enhancements. Everything works without this file. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    // 打印本页 buttons on the print-friendly document page.
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
  // The editor: a body saved from plain text is stored as <p>…</p> paragraphs. Show it back
  // as plain lines (the server turns plain lines into the same paragraphs again), but only
  // when nothing but text paragraphs is there, so no formatting can be lost.
  function plainParagraphs(html) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var lines = [];
    var nodes = doc.body.childNodes;
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (n.nodeType === 3 && !n.textContent.trim()) continue;
      if (n.nodeType !== 1 || n.tagName !== "P" || n.children.length) return null;
      var text = n.textContent;
      if (text.indexOf("<") !== -1 || text.indexOf("\n") !== -1) return null;
      lines.push(text.trim());
    }
    return lines.join("\n");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var body = document.querySelector(".edit-form textarea[name='body']");
    if (body && /^\s*<p>/.test(body.value)) {
      var plain = plainParagraphs(body.value);
      if (plain !== null) body.value = plain;
    }
  });
  // Move focus to the first error message after a failed form submission, so that
  // keyboard and screen-reader users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("form [aria-invalid='true']");
    if (invalid) {
      invalid.focus();
    }
  });
})();
/* Public site: 适老化 switches, copy-link, org directory filter. Each has a no-JS fallback:
   the switches submit to /tools/display/, the link is a plain link, the filter a GET form. */
(function () {
  "use strict";
  var PREFS = { large: ["yg_large", "a11y-large"], contrast: ["yg_contrast", "a11y-contrast"] };
  var YEAR = 365 * 24 * 3600;
  function setPref(name, on) {
    var p = PREFS[name];
    document.documentElement.classList.toggle(p[1], on);
    var secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = p[0] + "=" + (on ? "1; max-age=" + YEAR : "; max-age=0") + "; path=/; samesite=lax" + secure;
  }
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var btn = target.closest("button[data-pref]");
    if (btn) {
      event.preventDefault();
      var on = btn.getAttribute("aria-pressed") !== "true";
      setPref(btn.getAttribute("data-pref"), on);
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      btn.value = on ? "0" : "1";
      return;
    }
    var copy = target.closest("[data-copy-url]");
    if (copy && navigator.clipboard && window.isSecureContext) {
      event.preventDefault();
      var status = copy.parentNode.querySelector(".copy-status");
      navigator.clipboard.writeText(copy.getAttribute("data-copy-url")).then(function () {
        if (status) status.textContent = copy.getAttribute("data-copied-text") || "OK";
      }, function () {
        var input = document.getElementById("share-url");
        if (input) { input.focus(); input.select(); }
      });
    } else if (copy) {
      // No clipboard API (plain HTTP): select the address so that Ctrl+C copies it.
      var field = document.getElementById("share-url");
      if (field) { event.preventDefault(); field.focus(); field.select(); }
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-org-filter]");
    if (!form) return;
    var input = form.querySelector("input[name='q']");
    var count = form.querySelector("[data-org-count]");
    var items = document.querySelectorAll("[data-filter-item]");
    var groups = document.querySelectorAll("[data-filter-group]");
    var empty = document.querySelector("[data-filter-empty]");
    var timer = null;
    function apply() {
      var q = input.value.trim();
      var shown = 0;
      items.forEach(function (li) {
        var ok = !q || li.getAttribute("data-name").indexOf(q) !== -1;
        li.hidden = !ok;
        if (ok) shown++;
      });
      groups.forEach(function (g) { g.hidden = !g.querySelector("[data-filter-item]:not([hidden])"); });
      if (empty) empty.hidden = shown > 0;
      if (count) count.textContent = q ? count.getAttribute("data-template").replace("{n}", shown) : "";
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  });
})();
