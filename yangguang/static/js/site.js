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
