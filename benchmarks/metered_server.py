"""A server for benchmarks of what the network carries: web/serve.py's handler (content types, gzip) with every byte
it sends counted per request (headers and body), optionally through one shared token bucket (a slow link every
connection shares) with a delay before each response. benchmarks/bench_first_visit.py uses it."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path

from web.serve import COMPRESSED_SUFFIXES, SiteHandler

CHUNK = 16 * 1024  # the throttled link sends at most this much at a time (6.6 ms at 20 Mbit/s)


class TokenBucket:
    """One link shared by every connection, `rate` bytes a second. A sender takes tokens for each chunk before
    sending it; tokens refill at `rate` up to `burst` bytes (one chunk: an idle link sends the next chunk at once),
    and senders that find the bucket empty queue in order, so concurrent responses share the link."""

    def __init__(self, rate: float, burst: int = CHUNK):
        self.rate, self.burst = rate, burst
        self._lock = threading.Lock()
        self._free = 0.0  # the monotonic time at which the link has sent everything taken so far

    def take(self, size: int) -> None:
        """Wait until the link has carried `size` more bytes (after those already queued)."""
        with self._lock:
            now = time.monotonic()
            self._free = max(now - self.burst / self.rate, self._free) + size / self.rate
            done = self._free
        if done > now:
            time.sleep(done - now)


class _MeteredWriter:
    """The handler's socket writer, each write sent in chunks through the server (counted, maybe throttled)."""

    def __init__(self, raw, handler: MeteredHandler):
        self.raw, self.handler = raw, handler

    @property
    def closed(self) -> bool:
        return self.raw.closed

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        for start in range(0, len(view), CHUNK):
            self.handler.server.send(self.handler, self.raw, view[start : start + CHUNK])
        return len(view)

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        self.raw.close()


class MeteredHandler(SiteHandler):
    """web/serve.py's handler (content types, gzip) whose every response byte goes through the server's meter; its
    gzipped bodies are all kept (web/serve.py keeps 64; the site has more), so no visit waits for a compression."""

    gzipped = staticmethod(functools.cache(SiteHandler.gzipped.__wrapped__))
    record: dict | None = None

    def setup(self):
        super().setup()
        self.wfile = _MeteredWriter(self.wfile, self)

    def do_GET(self):
        self.server.begin_request(self)
        super().do_GET()

    def send_head(self):
        if self.server.as_stored:  # a host that compresses nothing: every file as the site stores it
            del self.headers["Accept-Encoding"]
        return super().send_head()

    def do_HEAD(self):
        self.server.begin_request(self)
        super().do_HEAD()

    def send_response_only(self, code, message=None):
        if self.record is not None:
            self.record["status"] = code
        super().send_response_only(code, message)


class MeteredServer(http.server.ThreadingHTTPServer):
    """Serves `directory` as web/serve.py does, logging every request of the current visit: path, status, what asked
    for it (Sec-Fetch-Dest, Cache-Control), and each chunk sent (wall-clock time, bytes). begin_visit sets the link: a
    TokenBucket's rate (None: unthrottled) and the seconds each request waits before its response; a new visit aborts
    the responses still being sent for the previous one, so they take nothing from it."""

    daemon_threads = True

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0):
        super().__init__((host, port), functools.partial(MeteredHandler, directory=str(directory)))
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self.visit, self.log, self.bucket, self.latency = 0, [], None, 0.0
        self.as_stored = False  # True: no HTTP compression (files as stored), as many static hosts send them

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def begin_visit(self, rate: float | None = None, latency: float = 0.0) -> None:
        with self._lock:
            self.visit += 1
            self.log = []
            self.bucket = TokenBucket(rate) if rate else None
            self.latency = latency

    def end_visit(self) -> list[dict]:
        """The visit's requests; responses still being sent stop."""
        with self._lock:
            self.visit += 1
            log, self.log = self.log, []
        return log

    def begin_request(self, handler: MeteredHandler) -> None:
        headers = handler.headers
        dest = "serviceworker" if headers.get("Service-Worker") else headers.get("Sec-Fetch-Dest", "")
        handler.record = self._new_record(handler.path, dest)
        handler.record["cache_control"] = headers.get("Cache-Control")
        if self.latency:
            time.sleep(self.latency)

    def _new_record(self, path: str, dest: str = "") -> dict:
        record = {"path": path, "dest": dest, "status": None, "start": time.time(), "bytes": 0, "chunks": []}
        with self._lock:
            record["visit"] = self.visit
            self.log.append(record)
        return record

    def send(self, handler: MeteredHandler, raw, chunk: memoryview) -> None:
        record = handler.record
        if record is None:  # a response before any GET (a malformed request's error)
            record = handler.record = self._new_record(getattr(handler, "path", "?"))
        bucket = self.bucket
        if record["visit"] != self.visit:
            raise ConnectionAbortedError("the visit is over")
        if bucket is not None:
            bucket.take(len(chunk))
            if record["visit"] != self.visit:
                raise ConnectionAbortedError("the visit is over")
        raw.write(chunk)
        with self._lock:
            record["bytes"] += len(chunk)
            record["chunks"].append((time.time(), len(chunk)))

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser closing a connection is no error
            super().handle_error(request, client_address)

    def warm(self) -> None:
        """Gzip every compressible file once, before any visit."""
        for path in self.directory.rglob("*"):
            if path.suffix in COMPRESSED_SUFFIXES and path.is_file():
                MeteredHandler.gzipped(str(path), path.stat().st_mtime_ns)


def sent_until(log: list[dict], until: float) -> int:
    """Bytes sent at or before the wall-clock time `until`."""
    return sum(size for record in log for at, size in record["chunks"] if at <= until)
