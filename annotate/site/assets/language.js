// The language switch lands on the same page, at the same place, in the other language.
// mkdocs-static-i18n writes each page's counterpart into the header, but instant navigation
// keeps the header of the first page read; every page exists in each language at the same
// path under the language's folder (`zh/`), so the counterpart is found from the address.
// Registered on `window` while capturing: ahead of instant navigation's own click handling.
window.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const root = new URL(typeof __md_scope !== "undefined" ? __md_scope : link.href, location.href);
  if (!location.pathname.startsWith(root.pathname)) return;
  const languages = [...document.querySelectorAll("a.md-select__link[hreflang]")].map((a) => a.hreflang);
  let rest = location.pathname.slice(root.pathname.length);
  const current = languages.find((lang) => rest.startsWith(`${lang}/`));
  if (current) rest = rest.slice(current.length + 1);
  const wanted = link.hreflang;
  const isDefault = !link.href.startsWith(new URL(`${wanted}/`, root).href);
  event.preventDefault();
  event.stopImmediatePropagation();
  location.assign(new URL((isDefault ? "" : `${wanted}/`) + rest + location.hash, root).href);
}, true);
