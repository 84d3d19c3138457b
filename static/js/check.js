// The back pain check. htmx swaps one question for the next without reloading the page, but does not move
// focus: move it to the new heading (or to the error summary) so screen readers and keyboards follow.
// "None of these" is exclusive: ticking it clears the signs, ticking a sign clears it. Without JavaScript
// the server asks again when both are ticked.
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

  document.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox" || !box.checked) return;
    const group = box.closest("[data-exclusive-group]");
    if (!group) return;
    const others = box.hasAttribute("data-exclusive")
      ? group.querySelectorAll("input[type=checkbox]:not([data-exclusive])")
      : group.querySelectorAll("input[data-exclusive]");
    others.forEach((other) => {
      other.checked = false;
    });
  });
})();
