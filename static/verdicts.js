// Progressive enhancement for the fact-and-fiction overview: the verdict links filter the
// list in place. Without JavaScript they are ordinary links to each section.
document.addEventListener("DOMContentLoaded", () => {
  const links = document.querySelectorAll(".verdict-filter a[data-verdict]");
  const groups = document.querySelectorAll(".verdict-group");
  if (!links.length) return;
  const filter = document.querySelector(".verdict-filter");
  const showAll = document.createElement("button");
  showAll.type = "button";
  showAll.textContent = filter.dataset.showAll;
  showAll.hidden = true;
  filter.append(showAll);
  const show = (verdict) => {
    groups.forEach((g) => { g.hidden = verdict !== null && g.dataset.verdict !== verdict; });
    links.forEach((l) => l.setAttribute("aria-pressed", String(l.dataset.verdict === verdict)));
    showAll.hidden = verdict === null;
  };
  links.forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    show(link.dataset.verdict);
    history.replaceState(null, "", link.getAttribute("href"));
  }));
  showAll.addEventListener("click", () => show(null));
});
