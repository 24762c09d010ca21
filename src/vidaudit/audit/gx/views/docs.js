document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-toggle='collapse']");
  if (!toggle) { return; }
  event.preventDefault();
  var selector = toggle.getAttribute("data-target") || toggle.getAttribute("href");
  if (!selector || selector.charAt(0) !== "#") { return; }
  var target = document.getElementById(selector.slice(1));
  if (target) { target.classList.toggle("show"); }
});
document.addEventListener("change", function (event) {
  var filter = event.target.getAttribute("data-vidaudit-filter");
  if (filter) { vidauditFailedOnly(filter === "failed"); }
});
function vidauditFailedOnly(only) {
  var selectors = [".hide-succeeded-validation-target", ".hide-succeeded-validation-target-child"];
  selectors.forEach(function (selector) {
    document.querySelectorAll(selector).forEach(function (element) {
      var row = element.classList.contains("hide-succeeded-validation-target-child")
        ? element.parentElement : element;
      if (row) { row.style.display = only ? "none" : ""; }
    });
  });
}
