// The header's quick find (templates/catalog/_quick_find.html): an ARIA 1.2 combobox.
// htmx fetches the options as you type; this file opens and closes the listbox, moves the
// active option with the arrow keys, opens it on Enter, and focuses the box on "/".
// Without an active option Enter submits the form to the full results page.
"use strict";

(() => {
  const input = document.querySelector("[data-quick-find]");
  if (!input) return;
  const listbox = document.getElementById(input.getAttribute("aria-controls"));
  const options = () => Array.from(listbox.querySelectorAll("[role=option]"));
  const expanded = () => input.getAttribute("aria-expanded") === "true";

  function activate(option) {
    for (const each of options()) {
      const on = each === option;
      each.setAttribute("aria-selected", String(on));
      each.classList.toggle("active", on);
    }
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(open) {
    const next = open && input.value.trim() !== "" && options().length > 0;
    input.setAttribute("aria-expanded", String(next));
    listbox.hidden = !next;
    if (!next) activate(null);
  }

  // "/" anywhere but in a field jumps to the box, as on GitHub and MDN.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  input.addEventListener("keydown", (event) => {
    const all = options();
    const current = all.findIndex((option) => option.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (all.length === 0) return;
      event.preventDefault();
      show(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = current === -1 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
      activate(all[next]);
    } else if (event.key === "Enter" && expanded() && current !== -1) {
      event.preventDefault();
      window.location.assign(all[current].href);
    } else if (event.key === "Escape" && expanded()) {
      event.preventDefault();
      show(false);
    }
  });

  // New options replace old ones: nothing is active until the arrow keys say so.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target !== listbox) return;
    activate(null);
    show(document.activeElement === input);
  });
  input.addEventListener("focus", () => show(true));
  input.addEventListener("blur", () => show(false));
  // A click on an option must not blur the box first (that would hide the option clicked).
  listbox.addEventListener("mousedown", (event) => event.preventDefault());
})();
