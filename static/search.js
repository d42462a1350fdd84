// Mounts Pagefind's search UI (its files are generated into /pagefind/ at build time, so
// nothing is fetched from elsewhere). Without JavaScript the page lists the index pages.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  document.querySelector(".search-fallback")?.setAttribute("hidden", "");
  const ui = new PagefindUI({
    element: "#search",
    bundlePath: box.dataset.bundle,
    baseUrl: box.dataset.base,
    showSubResults: false,
    showImages: false,
    // Short pages no longer win for being short, and repeated matches keep counting, so
    // an article about the massacre outranks a source record whose title names it
    // (source records also carry a low data-pagefind-weight and are indexed under their
    // kind's name: see partials/search-filters.html).
    ranking: { pageLength: 0, termSaturation: 2 },
    processResult: (result) => {
      if (result.meta && result.meta.label) result.meta.title = result.meta.label; // a source record
      if (result.meta && result.meta.type) result.meta.title = `${result.meta.type}: ${result.meta.title}`;
      return result;
    },
  });
  // Pagefind's input has only a placeholder; give it a real accessible name.
  box.querySelector("input")?.setAttribute("aria-label", box.dataset.label);
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
