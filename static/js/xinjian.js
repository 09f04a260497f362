// Page behaviour without inline scripts (Content-Security-Policy: script-src 'self').
// <select data-autosubmit> submits its form on change; [data-print] prints the page.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
