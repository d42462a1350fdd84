// Citation notes open in place: hovering, focusing or tapping a note number shows the note
// beside it (its sources, strongest first) without leaving the sentence. Without
// JavaScript the numbers are plain links to the numbered notes at the end of the page.
document.addEventListener("DOMContentLoaded", () => {
  const notes = document.querySelector(".notes");
  const links = document.querySelectorAll('sup.cite a[href^="#note-"]');
  if (!notes || !links.length) return;
  let current = null; // { link, pop, pinned }
  let closing = 0;

  const close = (returnFocus) => {
    if (!current) return;
    const { link, pop } = current;
    pop.remove();
    link.setAttribute("aria-expanded", "false");
    link.removeAttribute("aria-controls");
    current = null;
    if (returnFocus) link.focus();
  };

  const place = (link, pop) => {
    const parent = pop.offsetParent || document.body;
    const box = parent.getBoundingClientRect();
    const at = link.getBoundingClientRect();
    const width = pop.offsetWidth;
    const left = Math.min(Math.max(at.left - 16, 8), document.documentElement.clientWidth - width - 8);
    pop.style.left = `${left - box.left}px`;
    pop.style.top = `${at.bottom - box.top + 6}px`;
  };

  const open = (link, pinned) => {
    window.clearTimeout(closing);
    if (current && current.link === link) {
      current.pinned = current.pinned || pinned;
      return;
    }
    close(false);
    const number = link.hash.replace("#note-", "");
    const body = document.getElementById(`note-${number}`)?.querySelector(".note-body");
    if (!body) return;
    const pop = document.createElement("span");
    pop.className = "note-pop";
    pop.id = `note-pop-${number}`;
    pop.setAttribute("role", "group");
    pop.setAttribute("aria-label", `${notes.dataset.noteLabel} ${number}`);
    const content = body.cloneNode(true);
    content.className = "note-pop-body";
    const more = document.createElement("a");
    more.href = link.hash;
    more.className = "note-pop-more";
    more.textContent = notes.dataset.goLabel;
    pop.append(content, more);
    link.parentElement.after(pop);
    place(link, pop);
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", pop.id);
    pop.addEventListener("mouseenter", () => window.clearTimeout(closing));
    pop.addEventListener("mouseleave", () => later());
    pop.addEventListener("focusout", (event) => leaving(event));
    current = { link, pop, pinned };
  };

  const later = () => {
    window.clearTimeout(closing);
    closing = window.setTimeout(() => { if (current && !current.pinned) close(false); }, 300);
  };
  const leaving = (event) => {
    if (current && !current.link.contains(event.relatedTarget) && !current.pop.contains(event.relatedTarget)) close(false);
  };

  links.forEach((link) => {
    link.setAttribute("aria-expanded", "false");
    link.addEventListener("mouseenter", () => open(link, false));
    link.addEventListener("mouseleave", () => later());
    link.addEventListener("focus", () => open(link, false));
    link.addEventListener("blur", (event) => leaving(event));
    link.addEventListener("click", (event) => {
      event.preventDefault();
      if (current && current.link === link && current.pinned) close(false);
      else open(link, true);
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) close(true);
  });
  document.addEventListener("click", (event) => {
    if (current && !current.pop.contains(event.target) && !current.link.contains(event.target)) close(false);
  });
  window.addEventListener("resize", () => { if (current) place(current.link, current.pop); });
});
