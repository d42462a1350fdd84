// Progressive enhancement for the fact-and-fiction overview. Without JavaScript the verdict
// links are ordinary links to each section; with it they become toggle buttons
// (aria-pressed belongs on buttons, never on links) that filter the list in place.
document.addEventListener("DOMContentLoaded", () => {
  const filter = document.querySelector(".verdict-filter");
  const groups = document.querySelectorAll(".verdict-group");
  if (!filter || !groups.length) return;
  const buttons = [];
  filter.querySelectorAll("a[data-verdict]").forEach((link) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "filter-button";
    button.dataset.verdict = link.dataset.verdict;
    button.setAttribute("aria-pressed", "false");
    button.append(...link.childNodes);
    link.replaceWith(button);
    buttons.push(button);
  });
  const showAll = document.createElement("button");
  showAll.type = "button";
  showAll.className = "filter-button show-all";
  showAll.textContent = filter.dataset.showAll;
  showAll.hidden = true;
  filter.append(showAll);
  const show = (verdict) => {
    groups.forEach((g) => { g.hidden = verdict !== null && g.dataset.verdict !== verdict; });
    buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.verdict === verdict)));
    showAll.hidden = verdict === null;
    const hash = verdict === null ? window.location.pathname : `#verdict-${verdict}`;
    history.replaceState(null, "", hash);
  };
  buttons.forEach((button) => button.addEventListener("click", () => {
    show(button.getAttribute("aria-pressed") === "true" ? null : button.dataset.verdict);
  }));
  showAll.addEventListener("click", () => { show(null); buttons[0]?.focus(); });
  const initial = window.location.hash.replace("#verdict-", "");
  if (buttons.some((b) => b.dataset.verdict === initial)) show(initial);
});
