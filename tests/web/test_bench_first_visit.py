"""The first-visit benchmark's server (benchmarks/bench_first_visit.py): it counts exactly the bytes a client
receives, headers included, serves as web/serve.py does (gzip), and its shared 20 Mbit/s link holds its rate."""

import gzip
import socket
import threading
import time

import pytest

from benchmarks.bench_first_visit import CONDITIONS
from benchmarks.metered_server import MeteredServer, sent_until


@pytest.fixture
def server(tmp_path):
    (tmp_path / "big.whl").write_bytes(bytes(range(256)) * 4096)  # 1 MiB, sent as it is
    (tmp_path / "small.js").write_text("console.log('hello');\n" * 200)
    server = MeteredServer(tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def fetch(server: MeteredServer, path: str, results: list | None = None) -> bytes:
    """Everything the server sends for a GET of `path`, as it arrives on the socket."""
    with socket.create_connection(server.server_address) as connection:
        connection.sendall(f"GET /{path} HTTP/1.0\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n".encode())
        received = b"".join(iter(lambda: connection.recv(65536), b""))
    if results is not None:
        results.append(received)
    return received


def test_counted_bytes_are_the_bytes_received_headers_and_gzip_included(server):
    server.begin_visit()
    big, small = fetch(server, "big.whl"), fetch(server, "small.js")
    log = server.end_visit()
    assert [record["bytes"] for record in log] == [len(big), len(small)]
    assert sent_until(log, time.time()) == len(big) + len(small)
    head, body = small.split(b"\r\n\r\n", 1)
    assert b"Content-Encoding: gzip" in head and gzip.decompress(body) == (server.directory / "small.js").read_bytes()
    assert big.endswith((server.directory / "big.whl").read_bytes())


def test_the_shared_link_holds_20_mbit_across_connections_and_adds_latency(server):
    rate, latency = CONDITIONS["20mbit"]
    server.begin_visit(rate, latency)
    started = time.monotonic()
    assert len(fetch(server, "small.js")) < 2000
    assert time.monotonic() - started >= latency
    started, results = time.monotonic(), []
    threads = [threading.Thread(target=fetch, args=(server, "big.whl", results)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    log = server.end_visit()
    # 2 MiB at 2.5 MB/s: 0.84 s; two connections share one link, so together they take as long as one would alone.
    assert 0.75 <= seconds < 2.5
    assert sorted(record["bytes"] for record in log[1:]) == sorted(len(received) for received in results)
