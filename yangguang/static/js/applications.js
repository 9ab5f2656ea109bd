/* 依申请公开 reply form: offer only the outcomes consistent with the chosen reply type
   (law.allowed_outcomes; the server checks the pair again). Nothing is preselected: with no
   type chosen no outcome is offered, and an outcome is chosen for the handler only where the
   type allows exactly one (e.g. 可以公开 → 予以公开). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var type = document.querySelector("select[data-reply-outcomes]");
    if (!type) return;
    var pairs = JSON.parse(type.getAttribute("data-reply-outcomes"));
    var outcome = document.getElementById(type.getAttribute("data-outcome-select"));
    function filter() {
      var allowed = pairs[type.value] || [];
      var current = outcome.value;
      for (var i = 0; i < outcome.options.length; i++) {
        var opt = outcome.options[i];
        var ok = opt.value === "" || allowed.indexOf(opt.value) !== -1;
        opt.hidden = !ok;
        opt.disabled = !ok;
      }
      if (allowed.length === 1) {
        outcome.value = allowed[0];
      } else if (allowed.indexOf(current) === -1) {
        outcome.value = "";
      }
    }
    type.addEventListener("change", filter);
    filter();
  });
})();
