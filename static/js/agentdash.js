// AgentDash page behaviour that needs JavaScript. Everything here enhances a page that
// already works without it; loaded as a static file so the CSP needs no 'unsafe-inline'.
"use strict";

// Copy buttons: [data-copy-target] names the element whose text is copied. Where the
// clipboard API is missing (a page served over plain HTTP) or refuses, the text is selected
// instead, for Ctrl+C. Either way an "agentdash:copied" event says what happened.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source) return;
  const text = source.textContent;
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;

  function done(how, message) {
    button.textContent = message;
    setTimeout(() => { button.textContent = label; }, 1500);
    button.dispatchEvent(new CustomEvent("agentdash:copied", { bubbles: true, detail: { text, how } }));
  }
  function select() {
    const details = source.closest("details");
    if (details) details.open = true;
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    done("selected", "Selected: press Ctrl+C");
  }

  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(() => done("clipboard", "Copied"), select);
  } else {
    select();
  }
});

// ---------------------------------------------------------------------------
// Search results: keyboard navigation (templates/catalog/search.html).
// ArrowDown/ArrowUp (also from the search box) and j/k (outside form fields) move a
// .selected class over the hits; Enter opens the selected hit. New results start unselected.
// ---------------------------------------------------------------------------
(() => {
  const hits = () => Array.from(document.querySelectorAll("[data-search-results] [data-hit]"));

  function select(delta) {
    const all = hits();
    if (all.length === 0) return false;
    const current = all.findIndex((hit) => hit.classList.contains("selected"));
    const next = current === -1 ? (delta > 0 ? 0 : all.length - 1) : Math.min(Math.max(current + delta, 0), all.length - 1);
    all.forEach((hit, index) => {
      hit.classList.toggle("selected", index === next);
      if (index === next) hit.setAttribute("aria-current", "true");
      else hit.removeAttribute("aria-current");
    });
    all[next].scrollIntoView({ block: "nearest" });
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (!document.querySelector("[data-search-results]")) return;
    const field = event.target.closest("input, textarea, select, [contenteditable]");
    const inSearchBox = field !== null && field.matches("[data-search-input]");
    if (field !== null && !inSearchBox) return;

    let delta = 0;
    if (event.key === "ArrowDown" || (!field && event.key === "j")) delta = 1;
    else if (event.key === "ArrowUp" || (!field && event.key === "k")) delta = -1;
    if (delta !== 0) {
      if (select(delta)) event.preventDefault();
      return;
    }
    if (event.key === "Enter" && !event.target.closest("a, button")) {
      const link = document.querySelector("[data-search-results] [data-hit].selected a[href]");
      if (!link) return;  // nothing selected: Enter submits the search as usual
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
