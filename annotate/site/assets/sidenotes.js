// Notes in the margin, the code whole. On a wide screen each row's notes stand out of the flow
// in the margin column, level with their lines; notes that would collide stack below one
// another, and a long one folds to its first lines. The code never moves: a note costs the
// listing no height. On a phone notes stand between the lines, each folded to one line that
// opens on a tap. CSS alone can neither stack boxes by their neighbours nor tell a long note.
(() => {
  "use strict";
  const WIDE = window.matchMedia("screen and (min-width: 60em)");
  const GAP = 6; // px kept between two stacked notes
  const UNIT = ":scope > aside, :scope > .an-margin";
  // A note folds only when its text is over a third taller than the fold: folding must hide
  // more than the button it adds.
  const SLACK = 1.35;
  // Ever shorter folds for a crowded listing (sidenotes.css).
  const TIGHT = ["an-tight", "an-tighter", "an-tightest"];

  function words() {
    const data = document.querySelector(".an-version")?.dataset ?? {};
    return {more: data.anMore || "Show the whole note", less: data.anLess || "Fold the note"};
  }

  // Notes that may fold: line notes and object notes; a links entry is one line already.
  function foldable(unit) {
    const notes = unit.matches("aside") ? [unit] : [...unit.querySelectorAll(":scope > aside")];
    return notes.filter((note) => !note.classList.contains("an-links"));
  }

  function toggle(note, open) {
    note.classList.toggle("an-open", open);
    const button = note.querySelector(":scope > .an-note-toggle");
    if (button) {
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? words().less : words().more;
    }
  }

  const BLOCK = new Set(["P", "UL", "OL", "DL", "DIV", "PRE", "TABLE", "BLOCKQUOTE", "DETAILS", "FIGURE"]);

  // A note's text, after its header (the lines it explains, upstream, tag, drift label), in
  // one box that folds while the header stays in view.
  function text(note) {
    let body = note.querySelector(":scope > .an-note-text");
    if (body) return body;
    body = document.createElement("div");
    body.className = "an-note-text";
    const first = [...note.children].find((child) => BLOCK.has(child.tagName) || /^H\d$/.test(child.tagName));
    if (!first) return null;
    let node = first;
    while (node) {
      const next = node.nextSibling;
      body.append(node);
      node = next;
    }
    note.append(body);
    return body;
  }

  function setFoldable(note, foldable) {
    const button = note.querySelector(":scope > .an-note-toggle");
    note.classList.toggle("an-foldable", foldable);
    if (!foldable) {
      note.classList.remove("an-open");
      button?.remove();
    } else if (!button) {
      const made = document.createElement("button");
      made.type = "button";
      made.className = "an-note-toggle";
      note.append(made);
      toggle(note, false);
    }
  }

  // Where notes of `heights` wanted at `wanted` stand, in order and `GAP` apart, each as near
  // its line as the others let it: notes that collide form a run placed at the mean of what
  // its members want (the least squared distance from their lines), runs merging as they meet.
  function stack(wanted, heights) {
    const runs = [];
    wanted.forEach((want, j) => {
      let run = {first: j, size: heights[j], sum: want, count: 1};
      run.top = want;
      for (let last = runs.at(-1); last && last.top + last.size + GAP > run.top; last = runs.at(-1)) {
        runs.pop();
        // Each member of `run` stands `last.size + GAP` lower inside the merged run.
        const shift = last.size + GAP;
        run = {
          first: last.first,
          size: last.size + GAP + run.size,
          sum: last.sum + run.sum - shift * run.count,
          count: last.count + run.count,
        };
        run.top = run.sum / run.count;
      }
      runs.push(run);
    });
    const tops = [];
    for (const run of runs) {
      let top = run.top;
      for (let j = run.first; j < run.first + run.count; j++) {
        tops[j] = top;
        top += heights[j] + GAP;
      }
    }
    return tops;
  }

  // Each note level with its line or just below the note before it.
  function below(wanted, heights) {
    let floor = -Infinity;
    return wanted.map((want, j) => {
      const top = Math.max(want, floor);
      floor = top + heights[j] + GAP;
      return top;
    });
  }

  // Every pass reads every box, then writes every style: one layout per pass over the whole
  // page, instead of one per row (916 on the module.py page). A note's unfolded text is
  // measured once per placement: a tighter fold level changes which notes fold, not how tall
  // their text is, so `heights` (note -> px) carries over from one level to the next.
  function layout(sources, heights = new Map()) {
    const wide = WIDE.matches;
    const all = sources.map((source) => {
      const rows = [...source.querySelectorAll(":scope > .an-row")].filter((row) => row.querySelector(UNIT));
      const units = rows.map((row) => row.querySelector(UNIT));
      return {source, rows, units, notes: units.flatMap(foldable)};
    });
    // Pass 1: which notes fold, their text measured unfolded at the width it is shown at.
    const texts = all.map((s) => s.notes.map(text));
    const unmeasured = all.flatMap((s) => s.notes.filter((note) => !heights.has(note)));
    for (const s of all) s.source.style.marginBottom = "";
    if (wide) {
      for (const note of unmeasured) note.classList.add("an-measure");
      unmeasured.forEach((note) => heights.set(note, note.querySelector(":scope > .an-note-text")?.scrollHeight ?? 0));
    }
    const tall = texts.map((list, i) =>
      list.map((body, j) => {
        if (!body) return false;
        if (!wide) return true;
        const fold = parseFloat(getComputedStyle(body).getPropertyValue("--an-fold-height")) || 0;
        return heights.get(all[i].notes[j]) > fold * SLACK;
      }),
    );
    for (const note of unmeasured) note.classList.remove("an-measure");
    all.forEach((s, i) =>
      s.notes.forEach((note, j) => {
        setFoldable(note, tall[i][j]);
      }),
    );
    if (!wide) {
      for (const s of all) for (const unit of s.units) unit.style.top = "";
      return;
    }
    // Pass 2: where each row starts and how tall each margin unit is.
    const geometry = all.map((s) => {
      const top = s.source.getBoundingClientRect().top;
      return {
        height: s.source.getBoundingClientRect().height,
        rows: s.rows.map((row) => row.getBoundingClientRect().top - top),
        heights: s.units.map((unit) => unit.getBoundingClientRect().height),
      };
    });
    // A listing with more notes than room folds them all shorter, then shorter still (until
    // the width changes: opening a note keeps the others as they are).
    const crowded = new Set();
    geometry.forEach(({height, heights}, i) => {
      const fits = heights.reduce((sum, h) => sum + h + GAP, 0) <= height;
      // A chapter's notes keep a line of text; a whole file's may fold to their headers.
      const levels = all[i].source.classList.contains("an-whole") ? TIGHT : TIGHT.slice(0, -1);
      const tighter = levels.find((name) => !all[i].source.classList.contains(name));
      if (!fits && tighter) {
        all[i].source.classList.add(tighter);
        crowded.add(i);
      }
    });
    if (crowded.size) layout([...crowded].map((i) => all[i].source), heights);
    // Pass 3: stack the notes that collide around their lines, then, if the last ones run
    // past the listing's end, push them back up as far as their predecessors leave room.
    all.forEach((s, i) => {
      if (crowded.has(i)) return;
      const {height, rows, heights} = geometry[i];
      // Too many notes even folded: each stands level or below the one before, the margin
      // running on past the listing's end, rather than one stack drifting far from its lines.
      const overfull = heights.reduce((sum, h) => sum + h + GAP, 0) > height;
      const tops = overfull ? below(rows, heights) : stack(rows, heights);
      let ceiling = overfull ? Infinity : height;
      for (let j = rows.length - 1; j >= 0; j--) {
        tops[j] = Math.min(tops[j], ceiling - heights[j]);
        ceiling = tops[j] - GAP;
      }
      // Never above the listing, never over the note before.
      let floor = 0;
      rows.forEach((_, j) => {
        tops[j] = Math.max(tops[j], floor);
        floor = tops[j] + heights[j] + GAP;
      });
      // Still too many notes for a short listing: the margin runs on below it, outside the
      // code's box, so that the code itself stays whole.
      const bottom = Math.max(0, ...tops.map((t, j) => t + heights[j]));
      if (bottom > height) s.source.style.marginBottom = `${bottom - height + 16}px`;
      s.units.forEach((unit, j) => {
        unit.style.top = `${tops[j] - rows[j]}px`;
      });
    });
  }

  // A listing, or a piece of one, that scrolls sideways takes the keyboard's focus, so that it
  // can be scrolled without a mouse (Material does so for its own code blocks, which the pieces
  // of a listing are not: segments.py). Whether a piece scrolls is told from its longest line
  // (`data-an-cols`) and the room its box leaves, not from its scroll width: reading that would
  // lay out every piece of a whole file, which the page draws only near the screen. All boxes
  // read, then all written.
  function focusScrollers(sources) {
    const scrolls = (box) => /auto|scroll/.test(getComputedStyle(box).overflowX);
    const pieces = sources.map((source) => [...source.querySelectorAll(".an-listing")]);
    const measured = sources.map((source, i) => {
      const first = pieces[i][0];
      if (!first) return {own: scrolls(source) && source.scrollWidth > source.clientWidth + 1, wide: []};
      const style = getComputedStyle(first);
      const px = (name) => parseFloat(style.getPropertyValue(name)) || 0;
      const ch = px("--an-ch");
      // How wide a piece's text runs: its longest line, after the padding and the line numbers
      // (a line may run into the right padding before the box scrolls).
      const needs = (code) => Number(code.dataset.anCols) * ch + px("padding-left") + px("--an-gutter");
      // On a phone the listing scrolls as one; a whole file's pieces not drawn yet add no width
      // to it, so its own scroll width can be short of what it will be (a chapter's is drawn).
      const undrawn = source.classList.contains("an-whole");
      const widest = undrawn ? Math.max(...pieces[i].map(needs)) : 0;
      const own = scrolls(source) && (source.scrollWidth > source.clientWidth + 1 || widest > source.clientWidth + 1);
      if (!scrolls(first)) return {own, wide: pieces[i].map(() => false)};
      const room = first.closest(".an-code").clientWidth;
      return {own, wide: pieces[i].map((code) => ch > 0 && needs(code) > room + 1)};
    });
    const focusable = (box, yes) => (yes ? box.setAttribute("tabindex", "0") : box.removeAttribute("tabindex"));
    sources.forEach((source, i) => {
      focusable(source, measured[i].own);
      pieces[i].forEach((code, j) => focusable(code, measured[i].wide[j]));
    });
  }

  function layoutAll() {
    const sources = [...document.querySelectorAll(".an-source")];
    for (const source of sources) source.classList.remove(...TIGHT);
    layout(sources);
    focusScrollers(sources);
  }

  // A click on a folded note's button (or, on a phone, anywhere on a folded note but its
  // links) opens or folds it; opening a docstring or a links entry changes heights too.
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const note = target?.closest(".an-foldable");
    if (!note) return;
    const button = target.closest(".an-note-toggle");
    const tapped = !WIDE.matches && !note.classList.contains("an-open") && !target.closest("a, summary");
    if (!button && !tapped) return;
    toggle(note, !note.classList.contains("an-open"));
    const source = note.closest(".an-source");
    if (source) layout([source]);
  });
  document.addEventListener(
    "toggle",
    (event) => {
      const source = event.target instanceof Element ? event.target.closest(".an-source") : null;
      if (source && WIDE.matches) layout([source]);
    },
    true,
  );

  let observer = null;
  function start() {
    layoutAll();
    if (observer) observer.disconnect();
    let width = document.querySelector(".md-content")?.clientWidth ?? 0;
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
    // Placed again once the page's fonts are in, if the first placement had to wait for some
    // (it measured the notes in others), then marked as placed (the browser tests wait for it).
    delete document.documentElement.dataset.anNotesPlaced;
    const pending = document.fonts && document.fonts.status !== "loaded";
    const placed = () => {
      if (pending) layoutAll();
      document.documentElement.dataset.anNotesPlaced = "";
    };
    if (pending) document.fonts.ready.then(placed);
    else placed();
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
