"""The whole-file page of module.py in Chromium, against the page Sphinx's viewcode makes of it.

Builds the guide (`mkdocs build`) and, beside it, a minimal Sphinx project (autodoc and
`sphinx.ext.viewcode`, as pytorch.org shows its source) over the same two files; Sphinx is
pip-installed into a temporary folder for this run only, never into the guide's environment.
Then loads both pages, served from 127.0.0.1, in headless Chromium (the loads interleaved) and
prints the medians of HTML size, DOM elements, layouts, style and script time, time to
DOMContentLoaded and to load, and the ratios (the goal is at most 1.5 times Sphinx's). With
`--scripts`, it also loads the guide's page with each of its scripts kept out in turn. With
`--lighthouse`, it runs Lighthouse's mobile performance audit on both pages too (the goal: a
score at least Sphinx's), installing that version of Lighthouse from npm into the run's
temporary folder.

    python scripts/bench_reader.py [--runs N] [--site BUILT_GUIDE] [--sphinx-packages DIR]
                                   [--scripts] [--lighthouse]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sphinx_peer import SphinxPeer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Route

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


def build_guide(dest: Path) -> Path:
    env = dict(os.environ, ANNOTATE_SITE_URL="http://127.0.0.1/")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(dest)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return dest / "files" / "module" / "index.html"


def build_sphinx(work: Path, packages: Path | None = None) -> Path:
    """The viewcode page of module.py (`sphinx_peer.py`)."""
    return SphinxPeer(work, packages).build(work / "sphinx-html")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True, kw_only=True)
class Load:
    """A page to load, and which of its scripts to keep from loading (a part of their URL)."""

    label: str
    root: Path
    page_file: Path
    block: str = ""


def _load_once(browser: Browser, url: str, block: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    if block:

        def route(route: Route) -> None:
            url = route.request.url
            if url.endswith(".js") and block in url.rsplit("/", 1)[-1]:
                route.abort()
            else:
                route.continue_()

        page.route("**/*", route)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)
    nav = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()"
    )
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    sample = {
        "elements": page.evaluate("document.getElementsByTagName('*').length"),
        "layouts": metrics["LayoutCount"],
        "style_ms": metrics["RecalcStyleDuration"] * 1000,
        "script_ms": metrics["ScriptDuration"] * 1000,
        "dcl_ms": nav[0],
        "load_ms": nav[1],
    }
    context.close()
    return sample


@contextlib.contextmanager
def _served(loads: list[Load]) -> Iterator[list[str]]:
    """Each load's page URL, its folder served from 127.0.0.1 while the block runs."""
    servers = {}
    for root in {load.root for load in loads}:
        handler = functools.partial(_Quiet, directory=str(root))
        servers[root] = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=servers[root].serve_forever, daemon=True).start()
    try:
        yield [
            f"http://127.0.0.1:{servers[load.root].server_address[1]}/"
            + load.page_file.relative_to(load.root).as_posix()
            for load in loads
        ]
    finally:
        for server in servers.values():
            server.shutdown()


def measure(loads: list[Load], runs: int) -> list[dict[str, float]]:
    """Medians of each load's figures; the runs interleave, to share the machine's load."""
    from playwright.sync_api import sync_playwright

    samples: list[list[dict[str, float]]] = [[] for _ in loads]
    with _served(loads) as urls, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for _ in range(runs):
            for i, load in enumerate(loads):
                samples[i].append(_load_once(browser, urls[i], load.block))
        browser.close()
    results = []
    for load, rows in zip(loads, samples, strict=True):
        result = {key: statistics.median(s[key] for s in rows) for key in rows[0]}
        result["html_kb"] = load.page_file.stat().st_size / 1024
        results.append(result)
    return results


LIGHTHOUSE = "12.8.2"
# Lighthouse's figures of a page: its performance score (0-100) and the timings it is made of,
# on its simulated mid-range phone over a slow 4G link.
_AUDITS = {
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "speed_index_ms": "speed-index",
}


def lighthouse_tool(folder: Path) -> Path:
    """Lighthouse's command, installed from npm into `folder` (this run's own: a command found
    in the project's folders could be anyone's)."""
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(folder),
            f"lighthouse@{LIGHTHOUSE}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder / "node_modules" / ".bin" / "lighthouse"


def _lighthouse_once(tool: Path, url: str) -> dict[str, float]:
    done = subprocess.run(
        [
            str(tool),
            url,
            "--only-categories=performance",
            "--form-factor=mobile",
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        ],
        env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"),
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    figures = {"score": report["categories"]["performance"]["score"] * 100}
    figures.update({key: report["audits"][audit]["numericValue"] for key, audit in _AUDITS.items()})
    return figures


def lighthouse(loads: list[Load], runs: int, work: Path) -> list[dict[str, float]]:
    """Medians of each page's Lighthouse figures, the runs interleaved."""
    tool = lighthouse_tool(work / "lighthouse")
    samples: list[list[dict[str, float]]] = [[] for _ in loads]
    with _served(loads) as urls:
        for _ in range(runs):
            for i, url in enumerate(urls):
                samples[i].append(_lighthouse_once(tool, url))
    return [{key: statistics.median(s[key] for s in rows) for key in rows[0]} for rows in samples]


# The guide page's own scripts, each kept from loading in turn (`--scripts`): which one costs
# the time to DOMContentLoaded.
SCRIPTS = {
    "none": "",
    "Material's bundle": "bundle.",
    "sidenotes.js": "sidenotes.js",
    "target.js": "target.js",
    "every script": ".js",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, help="an already built guide, instead of building it")
    parser.add_argument(
        "--sphinx-packages",
        type=Path,
        help="a folder Sphinx is already installed in (pip install --target), instead of installing it",
    )
    parser.add_argument(
        "--scripts",
        action="store_true",
        help="also load the guide page with each of its scripts kept out in turn",
    )
    parser.add_argument(
        "--lighthouse",
        action="store_true",
        help=f"also run Lighthouse {LIGHTHOUSE}'s mobile performance audit on both pages (from npm)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reader-") as tmp:
        work = Path(tmp)
        if args.site:
            site = args.site.resolve()
            guide_page = site / "files" / "module" / "index.html"
        else:
            site = work / "guide"
            guide_page = build_guide(site)
        sphinx_page = build_sphinx(work, args.sphinx_packages)
        pages = [
            Load(label="guide", root=site, page_file=guide_page),
            Load(label="sphinx", root=work / "sphinx-html", page_file=sphinx_page),
        ]
        guide, floor = measure(pages, args.runs)
        audits = lighthouse(pages, args.runs, work) if args.lighthouse else []
        if args.scripts:
            blocked = measure(
                [
                    Load(label=label, root=site, page_file=guide_page, block=block)
                    for label, block in SCRIPTS.items()
                ],
                args.runs,
            )
    print(f"module.py page, median of {args.runs} loads at 1440 px (goal: at most {GOAL}x Sphinx)")
    print(f"{'':14}{'guide':>12}{'sphinx':>12}{'ratio':>8}")
    for key in ("html_kb", "elements", "layouts", "style_ms", "script_ms", "dcl_ms", "load_ms"):
        ratio = guide[key] / floor[key] if floor[key] else float("inf")
        flag = "  over the goal" if key in _GOALS and ratio > GOAL else ""
        print(f"{key:14}{guide[key]:12.0f}{floor[key]:12.0f}{ratio:8.2f}{flag}")
    if audits:
        mine, sphinx = audits
        print(
            f"\nLighthouse {LIGHTHOUSE}, mobile, median of {args.runs} (goal: a score at least Sphinx's)"
        )
        print(f"{'':14}{'guide':>12}{'sphinx':>12}{'ratio':>8}")
        for key in mine:
            ratio = mine[key] / sphinx[key] if sphinx[key] else float("inf")
            flag = "  under the goal" if key == "score" and mine[key] < sphinx[key] else ""
            print(f"{key:14}{mine[key]:12.0f}{sphinx[key]:12.0f}{ratio:8.2f}{flag}")
    if args.scripts:
        print("\nthe guide page with one of its scripts kept out (median):")
        print(f"{'kept out':20}{'dcl_ms':>10}{'layouts':>10}{'style_ms':>10}{'script_ms':>10}")
        for label, figures in zip(SCRIPTS, blocked, strict=True):
            print(
                f"{label:20}{figures['dcl_ms']:10.0f}{figures['layouts']:10.0f}"
                f"{figures['style_ms']:10.0f}{figures['script_ms']:10.0f}"
            )


_GOALS = ("html_kb", "elements", "dcl_ms", "load_ms")
"""The figures the goal is about; layouts, style and script time say where the time goes."""

if __name__ == "__main__":
    main()
