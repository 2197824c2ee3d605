// Side-by-side notes: a note taller than its lines runs on beside the plain code below it
// instead of opening a gap in the listing. CSS alone cannot size a row by its neighbours.
(() => {
  "use strict";
  const WIDE = window.matchMedia("screen and (min-width: 60em)");
  const GAP = 8; // px kept between a note and the next one

  function layout(source) {
    const rows = [...source.querySelectorAll(":scope > .an-row")];
    for (const [i, row] of rows.entries()) {
      const notes = row.querySelectorAll(":scope > aside, :scope > .an-margin");
      if (!notes.length) continue;
      const last = notes[notes.length - 1];
      last.style.marginBottom = "";
      if (!WIDE.matches) continue;
      const code = row.querySelector(":scope > .an-code pre");
      const top = row.getBoundingClientRect().top;
      const extra = last.getBoundingClientRect().bottom - top - (code?.offsetHeight ?? 0);
      let room = 0;
      for (const next of rows.slice(i + 1)) {
        if (next.querySelector(":scope > aside, :scope > .an-margin")) {
          room -= GAP;
          break;
        }
        room += next.getBoundingClientRect().height;
      }
      const pull = Math.min(extra, room);
      if (pull > 0) last.style.marginBottom = `${-pull}px`;
    }
  }

  function layoutAll() {
    document.querySelectorAll(".an-source").forEach(layout);
  }

  let observer = null;
  function start() {
    layoutAll();
    if (observer) observer.disconnect();
    let width = 0;
    observer = new ResizeObserver(() => {
      // Heights follow widths; re-measure only when the text column width changes.
      const now = document.querySelector(".md-content")?.clientWidth ?? 0;
      if (now !== width) {
        width = now;
        layoutAll();
      }
    });
    const content = document.querySelector(".md-content");
    if (content) observer.observe(content);
    WIDE.onchange = layoutAll;
    document.fonts?.ready.then(layoutAll);
  }

  // Material's instant navigation swaps pages in without a load event: follow its stream.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
