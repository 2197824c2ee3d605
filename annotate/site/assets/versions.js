// The version selector of the published site (a guide per torch release, see scripts/publish.py)
// lands on the same page, in the same language, in the other release's guide. Material finds
// the page in that guide's sitemap, which lists the English pages alone (mkdocs-static-i18n
// gives the others as alternates), so from a page under a language's folder (`zh/`) it would
// land on the English home: here the page is looked for in that guide first, and its home in
// this language taken where the guide lacks it. Without a selector (any other build) it does nothing.
// Registered on `window` while capturing: ahead of Material's own handling of the click.
window.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a.md-version__link");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (typeof __md_scope === "undefined") return;
  const root = new URL(__md_scope, location.href);
  if (!location.pathname.startsWith(root.pathname)) return;
  const rest = location.pathname.slice(root.pathname.length);
  const languages = [...document.querySelectorAll("a.md-select__link[hreflang]")].map((a) => a.hreflang);
  const language = languages.find((lang) => rest.startsWith(`${lang}/`));
  if (!language) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const same = new URL(rest, link.href);
  const home = new URL(`${language}/`, link.href);
  fetch(same, { method: "HEAD" })
    .then((answer) => (answer.ok ? new URL(same.pathname + location.search + location.hash, same) : home))
    .catch(() => home)
    .then((target) => location.assign(target.href));
}, true);
