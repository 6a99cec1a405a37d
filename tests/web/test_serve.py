"""The loopback server gzips what compresses (wasm, scripts, JSON) for a browser that accepts it, as a web host
does, and sends wheels and zip files as they are."""

import gzip
import threading
import urllib.request

import pytest

from web.serve import make_server


@pytest.fixture
def site(tmp_path):
    (tmp_path / "pyodide.asm.wasm").write_bytes(b"\0asm" + bytes(range(256)) * 64)
    (tmp_path / "loader.js").write_text("console.log('hello');\n" * 100)
    (tmp_path / "panel-1.0-py3-none-any.whl").write_bytes(b"PK" + bytes(1000))
    server = make_server(tmp_path, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def get(url, gzip_ok=True, headers=()):
    headers = {**({"Accept-Encoding": "gzip, deflate"} if gzip_ok else {}), **dict(headers)}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request) as response:
        return response.headers, response.read()


@pytest.mark.parametrize(
    ("name", "content_type"), [("pyodide.asm.wasm", "application/wasm"), ("loader.js", "text/javascript")]
)
def test_wasm_and_scripts_travel_gzipped_with_their_own_content_type(site, name, content_type):
    folder, url = site
    headers, body = get(url + name)
    assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"] == content_type
    assert int(headers["Content-Length"]) == len(body) < (folder / name).stat().st_size
    assert gzip.decompress(body) == (folder / name).read_bytes()


def test_wheels_and_clients_without_gzip_get_the_file_as_it_is(site):
    folder, url = site
    headers, body = get(url + "panel-1.0-py3-none-any.whl")
    assert headers["Content-Encoding"] is None and body == (folder / "panel-1.0-py3-none-any.whl").read_bytes()
    headers, body = get(url + "loader.js", gzip_ok=False)
    assert headers["Content-Encoding"] is None and body == (folder / "loader.js").read_bytes()


def test_a_missing_file_is_still_a_404(site):
    _, url = site
    with pytest.raises(urllib.error.HTTPError) as error:
        get(url + "missing.js")
    assert error.value.code == 404


def test_a_gzipped_file_says_when_it_changed_and_is_not_sent_again_unchanged(site):
    # The service worker stores a page's files with cache: "no-cache" once the page is ready: a revalidation.
    _, url = site
    headers, _ = get(url + "loader.js")
    with pytest.raises(urllib.error.HTTPError) as error:
        get(url + "loader.js", headers={"If-Modified-Since": headers["Last-Modified"]})
    assert error.value.code == 304
    headers, body = get(url + "loader.js", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body).startswith(b"console.log")
