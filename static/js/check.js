// The back pain check. htmx swaps one question for the next without reloading the page, but does not move
// focus: move it to the new heading (or to the error summary) so screen readers and keyboards follow.
// "None of these" is a submit button of its own: the server refuses it alongside a ticked sign.
(() => {
  function focusFirst(root) {
    const target = root.querySelector("[data-error-summary]") || root.querySelector("h1");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  document.body.addEventListener("htmx:afterSettle", () => {
    const region = document.getElementById("check");
    if (region) focusFirst(region);
  });

  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
