// The claim ledger: a click anywhere on a row opens the article at the claim (the claim text is also a link).
(function () {
  "use strict";
  document.querySelectorAll("tr.ledger-row[data-href]").forEach(function (row) {
    row.addEventListener("click", function (ev) {
      if (ev.target.closest("a")) { return; }
      var href = row.getAttribute("data-href");
      if (href && href.charAt(0) === "/") { window.location.assign(href); }
    });
  });
  // Rows per page and sort apply at once (the form's button does the same without JavaScript).
  document.querySelectorAll("form.filters select[name=limit], form.filters select[name=sort]").forEach(function (sel) {
    sel.addEventListener("change", function () {
      var form = sel.form;
      var offset = form.querySelector("input[name=offset]");
      if (offset) { offset.remove(); }
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  });
})();
