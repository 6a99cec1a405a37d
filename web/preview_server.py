"""The lesson preview's server (`nn-playground lesson serve`): web/serve.py's, plus what keeps an author's open page
current (web/lesson_preview.py rewrites the site).

- Every HTML page gets one script, only here (templates/preview_reload.js): three times a second it asks
  `/__preview__/state` for each page's token and the lessons' problems, reloads its page when the token changed
  (keeping the scroll position) and shows the problems in a banner. Polling, not Server-Sent Events: a stream holds
  one of the six connections a browser opens to a host, so six open lessons would stall every page.
- `sw.js` is a service worker that removes itself and the site's caches (templates/preview_sw.js): the site's own
  answers from its cache first, so a reload could show the page before the edit, and a worker left by an earlier
  `nn-playground serve` on the same port would do the same.
- Every answer says `Cache-Control: no-cache` and files carry an ETag of their mtime in nanoseconds and size:
  If-Modified-Since counts whole seconds, so a page rewritten in the second it was fetched would come back as
  "not modified", stale.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import sys
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from web.lesson_preview import PreviewSite
from web.serve import SiteHandler

TEMPLATES = Path(__file__).with_name("templates")
STATE = "/__preview__/state"
RELOAD_SCRIPT = "/__preview__/reload.js"


class PreviewHandler(SiteHandler):
    def __init__(self, *args, site: PreviewSite, **kwargs):
        self.site = site
        self.etag = None
        super().__init__(*args, **kwargs)

    def send_head(self):
        path = urlsplit(self.path).path
        if path == STATE:
            state = {"pages": self.site.tokens(), "problems": self.site.problems()}
            return self._send(json.dumps(state).encode(), "application/json")
        if path == RELOAD_SCRIPT:
            return self._send((TEMPLATES / "preview_reload.js").read_bytes(), "text/javascript")
        if path == "/sw.js":
            return self._send((TEMPLATES / "preview_sw.js").read_bytes(), "text/javascript")
        file = Path(self.translate_path(self.path))
        if path.endswith("/") and file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send(self._with_script(file), "text/html; charset=utf-8")
        if file.is_file():
            stat = file.stat()
            self.etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            if self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.end_headers()
                return None
        return super().send_head()  # with If-None-Match sent, it does not look at If-Modified-Since

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        if self.etag:
            self.send_header("ETag", self.etag)
        super().end_headers()

    def _with_script(self, file: Path) -> bytes:
        """The page with the preview's script at the end of its head, carrying the page's token."""
        token = self.site.tokens().get(file.name, "")
        script = (
            f'<script src="{RELOAD_SCRIPT}" data-page="{escape(file.name)}" data-token="{escape(token)}"></script>\n'
        )
        return file.read_text().replace("</head>", script + "</head>", 1).encode()

    def _send(self, body: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class PreviewServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """Quiet about a page that went away mid-answer (a reload while Pyodide downloads); loud about the rest."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_preview_server(site: PreviewSite, host: str = "127.0.0.1", port: int = 8000) -> PreviewServer:
    """A ready (bound) server for the preview site; port 0 picks a free port."""
    handler = functools.partial(PreviewHandler, site=site, directory=str(site.out))
    return PreviewServer((host, port), handler)
