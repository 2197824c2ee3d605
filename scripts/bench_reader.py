"""The whole-file page of module.py in Chromium, against the page Sphinx's viewcode makes of it.

Builds the guide (`mkdocs build`) and, beside it, a minimal Sphinx project (autodoc and
`sphinx.ext.viewcode`, as pytorch.org shows its source) over the same two files; Sphinx is
pip-installed into a temporary folder for this run only, never into the guide's environment.
Then loads both pages, served from 127.0.0.1, in headless Chromium and prints the medians of
HTML size, DOM elements, layouts, time to DOMContentLoaded and to load, and the ratios
(the goal is at most 1.5 times Sphinx's).

    python scripts/bench_reader.py [--runs N] [--site BUILT_GUIDE]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.5
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_CONF = """\
project = "viewcode floor"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode"]
html_theme = "alabaster"
"""
_INDEX = """\
Floor
=====

.. automodule:: torch.nn.modules.module
   :members:

.. automodule:: torch.nn.modules.container
   :members:
"""


def build_guide(dest: Path) -> Path:
    env = dict(os.environ, ANNOTATE_SITE_URL="http://127.0.0.1/")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(dest)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return dest / "files" / "module" / "index.html"


def build_sphinx(work: Path) -> Path:
    """The viewcode page of module.py, with Sphinx installed under `work` for this run only."""
    target = work / "sphinx-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--target",
            str(target),
            "sphinx",
        ],
        check=True,
    )
    src = work / "sphinx-src"
    src.mkdir()
    (src / "conf.py").write_text(_CONF, encoding="utf-8")
    (src / "index.rst").write_text(_INDEX, encoding="utf-8")
    out = work / "sphinx-html"
    env = dict(os.environ, PYTHONPATH=str(target))
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-Q", "-b", "html", str(src), str(out)],
        env=env,
        check=True,
    )
    return out / "_modules" / "torch" / "nn" / "modules" / "module.html"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def measure(page_file: Path, root: Path, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page_file.relative_to(root).as_posix()}"
    samples: list[dict[str, float]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto(url, wait_until="load")
                page.wait_for_timeout(1000)
                nav = page.evaluate(
                    "(() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()"
                )
                metrics = {
                    m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                }
                samples.append(
                    {
                        "elements": page.evaluate("document.getElementsByTagName('*').length"),
                        "layouts": metrics["LayoutCount"],
                        "dcl_ms": nav[0],
                        "load_ms": nav[1],
                    }
                )
                context.close()
            browser.close()
    finally:
        server.shutdown()
    result = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    result["html_kb"] = page_file.stat().st_size / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, help="an already built guide, instead of building it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reader-") as tmp:
        work = Path(tmp)
        if args.site:
            site = args.site.resolve()
            guide_page = site / "files" / "module" / "index.html"
        else:
            site = work / "guide"
            guide_page = build_guide(site)
        sphinx_page = build_sphinx(work)
        guide = measure(guide_page, site, args.runs)
        floor = measure(sphinx_page, work / "sphinx-html", args.runs)
    print(f"module.py page, median of {args.runs} loads at 1440 px (goal: at most {GOAL}x Sphinx)")
    print(f"{'':14}{'guide':>12}{'sphinx':>12}{'ratio':>8}")
    for key in ("html_kb", "elements", "layouts", "dcl_ms", "load_ms"):
        ratio = guide[key] / floor[key] if floor[key] else float("inf")
        print(f"{key:14}{guide[key]:12.0f}{floor[key]:12.0f}{ratio:8.2f}")


if __name__ == "__main__":
    main()
