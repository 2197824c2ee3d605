// A page opened at a line of its source (`files/module/#L1986`) keeps that line in view while it
// settles. The browser, or instant navigation, scrolls to the line once, as soon as it exists;
// the rest of a long page then arrives and is laid out (notes moved into the margin, fonts
// loaded), and the line drifts away. Until the reader scrolls or ten seconds pass, the line is
// put back whenever the page's size changes.
(() => {
  const READER = ["wheel", "touchstart", "keydown", "mousedown"];
  let stop = () => {};

  function follow() {
    stop();
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    const content = document.querySelector(".md-content");
    if (!target || !content || !target.closest(".an-source, .an-file")) return;
    const place = () => target.scrollIntoView({ block: "start" });
    const observer = new ResizeObserver(place);
    const timer = setTimeout(() => stop(), 10000);
    stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      for (const name of READER) removeEventListener(name, stop, true);
      stop = () => {};
    };
    for (const name of READER) addEventListener(name, stop, { capture: true, passive: true });
    observer.observe(content);
    place();
  }

  // Material's instant navigation swaps pages in without a load event: follow its stream.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(follow);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", follow);
  } else {
    follow();
  }
  addEventListener("hashchange", follow);

  // A line's number is drawn before it by CSS (annotate.css), not a link: a click on it goes to
  // the line as a link to `#L12` would. On a phone the number stays at the listing's left edge
  // as the listing scrolls sideways.
  addEventListener("click", (event) => {
    const line = event.target instanceof Element && event.target.matches(".an-line[id]") ? event.target : null;
    if (!line) return;
    const edge = line.closest(".an-source") ?? line;
    const left = Math.max(line.getBoundingClientRect().left, edge.getBoundingClientRect().left);
    const number = getComputedStyle(line, "::before");
    if (event.clientX - left > parseFloat(number.width) + parseFloat(number.marginRight)) return;
    if (location.hash === `#${line.id}`) follow();
    else location.hash = line.id;
  });
})();
