"""The `nn-playground` command (also `python -m playground`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nn_core

DEFAULT_SITE = Path("build/site")


def cmd_build(args: argparse.Namespace) -> int:
    from playground.pages import PAGES
    from web.fetch import FetchError
    from web.pyodide_dist import DistError
    from web.site import build_site

    stage = iter(range(1, 100))
    try:
        summary = build_site(args.out, PAGES, pyodide=args.pyodide, packages_from=args.packages_from,
                             report=lambda line: print(f"[{next(stage)}] {line}", flush=True))
    except (DistError, FetchError, ValueError) as e:
        print(f"nn-playground build: {e}", file=sys.stderr)
        return 1
    print(f"built {args.out}: {len(summary.files)} files, {summary.total_bytes / 1e6:.1f} MB; each app page "
          f"loads {summary.page_bytes / 1e6:.1f} MB from the site; cache nn-playground-{summary.build_hash}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from web.serve import make_server

    if not (args.directory / "index.html").is_file():
        print(
            f"nn-playground serve: {args.directory} holds no built site; run `nn-playground build` first.",
            file=sys.stderr,
        )
        return 1
    try:
        server = make_server(args.directory, args.host, args.port)
    except OSError as e:
        print(
            f"nn-playground serve: cannot listen on {args.host}:{args.port} ({e.strerror}); "
            f"choose another with --port.",
            file=sys.stderr,
        )
        return 1
    host, port = server.server_address[:2]
    print(f"Serving {args.directory} at http://{host}:{port}/  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nn-playground",
        description="An in-browser neural-network playground: build the static site, serve it, and more.",
    )
    parser.add_argument("--version", action="version", version=f"nn-playground {nn_core.__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build",
        help="build the static site (self-hosted Pyodide, pages, wheels)",
        description="Build the complete static site; any static file host can serve it.",
    )
    build.add_argument("--out", type=Path, default=DEFAULT_SITE, help="output folder (default: build/site)")
    build.add_argument(
        "--pyodide",
        choices=["self-hosted", "cdn"],
        default="self-hosted",
        help="where pages load Pyodide's core and packages from: the site itself (default) or "
        "the official CDN (the site's own wheels still come from the site)",
    )
    build.add_argument(
        "--packages-from",
        metavar="SOURCE",
        help="where Pyodide's wasm packages come from: 'cdn', a URL, a folder, an archive "
        "(optionally '#folder/inside'), or 'pypi:NAME==VERSION#folder' "
        "(default: the pinned PyPI package, see web/pins.toml)",
    )
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser(
        "serve",
        help="serve a built site on this computer",
        description="Serve a built site over HTTP (loopback only by default).",
    )
    serve.add_argument(
        "directory", type=Path, nargs="?", default=DEFAULT_SITE, help="the built site (default: build/site)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.run(args)
