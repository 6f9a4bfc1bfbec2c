"""The built book opened in headless Chromium: pages render, links and images resolve, tables are there."""

from __future__ import annotations

import functools
import http.server
import socketserver
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

pytestmark = pytest.mark.slow
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=5000",
]


class LinkParser(HTMLParser):
    """Collects hrefs, image sources, sidebar links and appendix table keys of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []
        self.nav: list[str] = []
        self.tables: list[str] = []
        self.headings: list[str] = []
        self._in_nav = 0
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and "bd-docs-nav" in (a.get("class") or ""):
            self._in_nav += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if self._in_nav and "internal" in (a.get("class") or ""):
                self.nav.append(a["href"])
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
        if tag == "table" and a.get("data-imdi-table"):
            self.tables.append(a["data-imdi-table"])
        if tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1 and data.strip():
            self.headings.append(data.strip())


@pytest.fixture(scope="module")
def server(built_book) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_book.html))
    handler.log_message = lambda *args, **kwargs: None  # type: ignore[method-assign]
    with socketserver.TCPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        httpd.shutdown()


def render(chromium: str, url: str) -> str:
    """The DOM after Chromium rendered the page (scripts run)."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, f"chromium failed on {url}: {done.stderr[-1000:]}"
    return done.stdout


def parse(dom: str) -> LinkParser:
    parser = LinkParser()
    parser.feed(dom)
    return parser


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def toc_pages(chromium: str, base: str) -> list[str]:
    index = parse(render(chromium, base + "index.html"))
    pages = ["index.html"] + [urljoin("index.html", h).split("#")[0] for h in index.nav]
    return list(dict.fromkeys(pages))


def test_every_page_in_the_toc_renders_with_links_and_images_resolving(
    chromium: str, server: str, built_book
):
    pages = toc_pages(chromium, server)
    assert len(pages) >= 10, pages
    problems: list[str] = []
    for page in pages:
        url = server + page
        dom = render(chromium, url)
        parsed = parse(dom)
        if not parsed.headings:
            problems.append(f"{page}: no heading rendered")
        if "pydata-sphinx-theme" not in dom and "sphinx-book-theme" not in dom:
            problems.append(f"{page}: theme stylesheet missing")
        for ref in parsed.links + parsed.images:
            target = urlparse(urljoin(url, ref))
            if (
                target.scheme not in ("http", "")
                or not target.netloc.startswith("127.0.0.1")
                or ref.startswith("#")
            ):
                continue
            if ref.startswith("data:"):
                continue
            clean = target._replace(fragment="").geturl()
            if status(clean) != 200:
                problems.append(f"{page}: broken link or image {ref}")
    assert problems == []


def test_every_appendix_table_is_on_its_page(chromium: str, server: str, built_book):
    from imdi_analysis.letter.appendix_spec import tables_due

    for period in ("year", "H1"):
        dom = render(chromium, f"{server}2022/{period}/appendix.html")
        shown = set(parse(dom).tables)
        expected = set(tables_due(2022, period)["table_key"])
        assert expected and expected <= shown, f"{period}: missing {sorted(expected - shown)}"


def test_front_page_says_the_register_data_is_synthetic(chromium: str, server: str):
    dom = render(chromium, server + "index.html")
    assert "Syntetiske registerdata" in dom
    assert "Om kjøringen" in dom
