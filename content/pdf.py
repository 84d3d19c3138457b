"""HTML to PDF on the server with WeasyPrint: the same page and print stylesheet the browser prints.

While rendering, WeasyPrint may read only the app's own static files, from disk: no network, no file:
URLs, no data: URLs, nothing an editor's text could point at. The fonts come from the system and are
embedded (subset) in the PDF, so it prints the same anywhere.
"""

from __future__ import annotations

import logging
import mimetypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.templatetags.static import static
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
# WeasyPrint warns about every screen-only rule in app.css (sticky, accent-color, width media queries) on
# every render; none of them matters on paper. Its errors still get through.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

# A PDF has one page size. Letter, because the page is laid out to fit A4's width and Letter's height
# (see static/css/handout.css): a Letter PDF prints unchanged on Letter and, at actual size, on A4.
PDF_PAGE = CSS(string="@page { size: letter; }")


class RenderTooSlow(Exception):
    """Rendering ran past settings.PDF_RENDER_SECONDS and was stopped."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the block with RenderTooSlow after `seconds`, so one heavy PDF cannot hold a worker for long.

    WeasyPrint's layout is Python, so a signal interrupts it between two steps. Signals reach the main
    thread only: gunicorn's sync workers (make serve) and the test client run requests there. Elsewhere (a
    threaded server) the block runs unlimited, bounded still by the caps on what editors may type.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame) -> None:
        raise RenderTooSlow(f"PDF rendering took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class RefusedURL(ValueError):
    """WeasyPrint catches ValueError, logs it and renders without the resource."""


def static_file_for(url: str, base_url: str) -> Path | None:
    """The file on disk behind one of our static URLs, or None for any other URL."""
    prefix = urljoin(base_url, settings.STATIC_URL)
    parts, static = urlsplit(url), urlsplit(prefix)
    if (parts.scheme, parts.netloc) != (static.scheme, static.netloc) or parts.query:
        return None
    if not parts.path.startswith(static.path):
        return None
    name = unquote(parts.path[len(static.path) :])
    if not name or name.startswith("/") or ".." in Path(name).parts:
        return None
    try:
        # Collected files first (production: hashed names in STATIC_ROOT), then the source folders.
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
        found = finders.find(name)
    except (SuspiciousFileOperation, NotImplementedError):
        return None
    return Path(found) if isinstance(found, str) else None


class StaticFilesOnly(URLFetcher):
    """A URL fetcher that serves the app's static files from disk and refuses everything else."""

    def __init__(self, base_url: str) -> None:
        super().__init__(allowed_protocols=set(), allow_redirects=False)
        self.base_url = base_url

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_file_for(url, self.base_url)
        if path is None or not path.is_file():
            logger.warning("PDF rendering refused to fetch %s", url)
            raise RefusedURL(f"refused: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_document(html: str, base_url: str) -> Document:
    """`base_url` is the site's root as the browser saw it, e.g. request.build_absolute_uri("/")."""
    page = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly(base_url), media_type="print")
    return page.render(stylesheets=[PDF_PAGE])


def render_pdf(html: str, base_url: str) -> bytes:
    """Raises RenderTooSlow after settings.PDF_RENDER_SECONDS."""
    with time_limit(settings.PDF_RENDER_SECONDS):
        return render_document(html, base_url).write_pdf()


def render_combined_pdf(pages_html: list[str], base_url: str) -> bytes:
    """Several pages in one PDF, each starting on a fresh sheet when printed on both sides.
    Raises RenderTooSlow after settings.PDF_RENDER_SECONDS for the whole."""
    with time_limit(settings.PDF_RENDER_SECONDS):
        documents = [render_document(html, base_url) for html in pages_html]
        blank = render_document("<p></p>", base_url).pages[0]
        pages = []
        for number, document in enumerate(documents, start=1):
            pages += document.pages
            if len(document.pages) % 2 and number < len(documents):
                pages.append(blank)
        return documents[0].copy(pages).write_pdf()


@lru_cache(maxsize=8)
def layout_version(language: str) -> tuple[str, ...]:
    """What a PDF's look and words come from besides the content: the stylesheets' addresses (hashed by the
    manifest storage, so they change with the files) and the compiled catalogue of `language`. A cached PDF
    keyed by this is never one laid out by an older stylesheet or worded by an older translation after a
    deploy (the file cache outlives the workers). Computed once per process: both change only with a deploy."""
    marks = [static(name) for name in ("css/app.css", "css/print.css", "css/handout.css")]
    for root in settings.LOCALE_PATHS:
        catalogue = Path(root) / language / "LC_MESSAGES" / "django.mo"
        marks.append(str(catalogue.stat().st_mtime_ns) if catalogue.exists() else "-")
    return tuple(marks)
