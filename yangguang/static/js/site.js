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
/* 依申请公开 reply form: offer only the outcomes consistent with the chosen reply type
   (law.allowed_outcomes); the server checks the pair again. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var type = document.querySelector("select[data-reply-pairs]");
    if (!type) return;
    var pairs = JSON.parse(type.getAttribute("data-reply-pairs"));
    var outcome = document.getElementById(type.getAttribute("data-outcome-select"));
    function filter() {
      var allowed = pairs[type.value] || [];
      var first = null;
      for (var i = 0; i < outcome.options.length; i++) {
        var opt = outcome.options[i];
        var ok = allowed.indexOf(opt.value) !== -1;
        opt.hidden = !ok;
        opt.disabled = !ok;
        if (ok && first === null) first = opt;
      }
      if (outcome.selectedOptions.length === 0 || outcome.selectedOptions[0].disabled) {
        if (first) first.selected = true;
      }
    }
    type.addEventListener("change", filter);
    filter();
  });
})();
