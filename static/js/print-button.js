// Paper pages: a "Print this page" button. Without JavaScript it stays hidden and the browser's own Print works.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
