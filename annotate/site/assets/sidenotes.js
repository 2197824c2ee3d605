// Side-by-side notes: a note taller than its lines runs on beside the plain code below it
// instead of opening a gap in the listing. CSS alone cannot size a row by its neighbours.
(() => {
  "use strict";
  const WIDE = window.matchMedia("screen and (min-width: 60em)");
  const GAP = 8; // px kept between a note and the next one

  // Reads every row's geometry in one pass, then writes every margin: reading a box between
  // two style writes forces a layout each time (916 of them on the module.py page).
  function layout(source) {
    const rows = [...source.querySelectorAll(":scope > .an-row")];
    const noted = rows.map((row) => row.querySelector(":scope > aside, :scope > .an-margin") !== null);
    const lasts = rows.map((row, i) => {
      if (!noted[i]) return null;
      const notes = row.querySelectorAll(":scope > aside, :scope > .an-margin");
      return notes[notes.length - 1];
    });
    for (const last of lasts) if (last) last.style.marginBottom = "";
    if (!WIDE.matches) return;
    const geometry = rows.map((row, i) => {
      const box = row.getBoundingClientRect();
      if (!noted[i]) return {height: box.height};
      const code = row.querySelector(":scope > .an-code pre");
      return {
        height: box.height,
        extra: lasts[i].getBoundingClientRect().bottom - box.top - (code?.offsetHeight ?? 0),
      };
    });
    const pulls = geometry.map((row, i) => {
      if (!noted[i]) return 0;
      let room = 0;
      for (let j = i + 1; j < rows.length; j++) {
        if (noted[j]) {
          room -= GAP;
          break;
        }
        room += geometry[j].height;
      }
      return Math.min(row.extra, room);
    });
    pulls.forEach((pull, i) => {
      if (pull > 0) lasts[i].style.marginBottom = `${-pull}px`;
    });
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
