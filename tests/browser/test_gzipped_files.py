"""The files the site stores gzipped (web/precompress.py: BokehJS, Panel's script, the preview, Pyodide's runtime) are
what a page fetches, whether the host sends them as they are (every other test: web/serve.py sends `.gz` files as
application/gzip) or, told that `.gz` means gzip encoding, with "Content-Encoding: gzip", so that the browser has
inflated them before the page reads them (static/gunzip.js tells by gzip's magic number). A damaged one stops the page
with a message naming the file, not at "Starting" for ever."""

import functools
import http.server
import io
import threading

from web.serve import SiteHandler

PLAIN = ("bokeh.min.js", "panel.min.js", "pyodide.asm.js", "pyodide.asm.wasm", "preview.json")


class EncodingHandler(SiteHandler):
    """Sends `<name>.gz` as `<name>` gzip-encoded, as Apache with `AddEncoding gzip .gz` does."""

    def send_head(self):
        if not self.path.split("?")[0].endswith(".gz"):
            return super().send_head()
        path = self.translate_path(self.path)
        with open(path, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path.removesuffix(".gz")))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def test_a_host_that_sends_the_gzipped_files_gzip_encoded_serves_a_working_page(full_site, preview_page):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(EncodingHandler, directory=full_site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    requested = []
    page = preview_page.page
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/sandbox.html")
        assert preview_page.wait_until_settled(timeout_ms=180_000) == "ready"
        assert page.evaluate("window.nnPlayground.preview") == "replaced"
    finally:
        server.shutdown()
        server.server_close()
    gzipped = [url.rsplit("/", 1)[-1] for url in requested if url.endswith(".gz")]
    assert {"bokeh.min.js.gz", "panel.min.js.gz", "sandbox.preview.json.gz", "pyodide.asm.js.gz"} <= set(gzipped)
    assert "pyodide.asm.wasm.gz" in gzipped
    assert [url for url in requested if url.endswith(PLAIN)] == []
    assert preview_page.errors == []


def test_a_damaged_script_stops_the_page_with_its_name_and_a_reload(site_url, offline_page):
    page = offline_page.page
    page.route("**/bokeh-widgets.min.js.gz", lambda route: route.fulfill(status=200, body=b"\x1f\x8b\x08\x00broken"))
    page.goto(site_url + "demo.html")
    assert offline_page.wait_until_settled() == "error"
    message = page.locator("#pg-loader").text_content()
    assert "bokeh-widgets.min.js failed to load" in message and "Check the connection" in message
    assert page.locator("#pg-reload").is_visible()
