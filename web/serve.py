"""Serve a built site on the loopback interface, with the content types Pyodide needs."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".whl": "application/zip",
        ".json": "application/json",
    }

    def log_message(self, format, *args):
        pass  # a classroom server should not scroll a line per wheel


class CdnHandler(SiteHandler):
    """Also lets pages of other origins fetch the files, as a public CDN does (tests stand one in)."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000,
                cors: bool = False) -> http.server.ThreadingHTTPServer:
    """A ready (bound) server for `directory`; port 0 picks a free port; cors: act as a CDN."""
    handler = functools.partial(CdnHandler if cors else SiteHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)
