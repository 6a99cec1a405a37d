"""Serve a built site on the loopback interface, with the content types Pyodide needs, gzipping what compresses
(as any web host does: the 10 MB pyodide.asm.wasm travels as 3 MB)."""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
from pathlib import Path

# Text and wasm shrink to a third or less; wheels and zip files are compressed already.
COMPRESSED_SUFFIXES = (".wasm", ".js", ".mjs", ".json", ".css", ".html", ".py", ".svg")


@functools.lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    with open(path, "rb") as f:
        return gzip.compress(f.read(), compresslevel=6, mtime=0)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".whl": "application/zip",
        ".json": "application/json",
    }
    gzipped = staticmethod(_gzipped)  # (path, mtime_ns) -> the gzipped body; a subclass may cache more

    def log_message(self, format, *args):
        pass  # a classroom server should not scroll a line per wheel

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (
            path.suffix not in COMPRESSED_SUFFIXES
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        stat = path.stat()
        if self._not_modified_since(stat.st_mtime):  # as the plain files: the service worker revalidates
            self.send_response(304)
            self.end_headers()
            return None
        body = self.gzipped(str(path), stat.st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def _not_modified_since(self, mtime: float) -> bool:
        """Whether the request's If-Modified-Since covers the file (the check SimpleHTTPRequestHandler makes for the
        files it sends as they are)."""
        since = self.headers.get("If-Modified-Since")
        if not since or "If-None-Match" in self.headers:
            return False
        try:
            return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False


class CdnHandler(SiteHandler):
    """Also lets pages of other origins fetch the files, as a public CDN does (tests stand one in)."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def make_server(
    directory: Path, host: str = "127.0.0.1", port: int = 8000, cors: bool = False
) -> http.server.ThreadingHTTPServer:
    """A ready (bound) server for `directory`; port 0 picks a free port; cors: act as a CDN."""
    handler = functools.partial(CdnHandler if cors else SiteHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)
