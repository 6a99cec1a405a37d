"""The `nn-playground` command (also `python -m playground`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nn_core
from playground.export_command import add_export_command
from playground.figures.command import add_figure_command

DEFAULT_SITE = Path("build/site")


def cmd_build(args: argparse.Namespace) -> int:
    from playground.lessons import LessonError, load_all
    from playground.pages import PAGES
    from web.fetch import FetchError
    from web.pyodide_dist import DistError
    from web.site import build_site

    if not args.lessons.is_dir():
        print(f"nn-playground build: no lessons folder {args.lessons}; give one with --lessons DIR", file=sys.stderr)
        return 1
    try:
        lessons = load_all(args.lessons)  # the checks of `lesson check`: an invalid lesson stops the build
    except LessonError as e:
        print(f"{e}\nnn-playground build: fix the lessons above; nothing was built", file=sys.stderr)
        return 1
    stage = iter(range(1, 100))
    try:
        summary = build_site(
            args.out,
            PAGES,
            pyodide=args.pyodide,
            packages_from=args.packages_from,
            lessons=lessons,
            report=lambda line: print(f"[{next(stage)}] {line}", flush=True),
        )
    except (DistError, FetchError, ValueError) as e:
        print(f"nn-playground build: {e}", file=sys.stderr)
        return 1
    print(
        f"built {args.out}: {len(summary.files)} files, {summary.total_bytes / 1e6:.1f} MB; each app page "
        f"loads {summary.page_bytes / 1e6:.1f} MB from the site; cache nn-playground-{summary.build_hash}"
    )
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


def cmd_lesson_check(args: argparse.Namespace) -> int:
    from playground.lessons import LessonError, load_lesson, verify

    failed = False
    paths = [file for path in args.files for file in (sorted(path.glob("*.md")) if path.is_dir() else [path])]
    for path in paths:
        try:
            lesson = load_lesson(path)
        except LessonError as e:
            print(e, file=sys.stderr)
            failed = True
            continue
        if args.verify:
            result = verify(lesson)
            figures = ", ".join(
                f"{name} {value:.3g}" if isinstance(value, float) else f"{name} {value}"
                for name, value in result.figures.items()
            )
            for task_id, passed in result.solved.items():
                if not passed:
                    print(f"{path}: solution: task {task_id!r} is not passed by the solution", file=sys.stderr)
                if result.at_start[task_id]:
                    print(f"{path}: solution: task {task_id!r} already passes with the starting setup", file=sys.stderr)
            failed |= not result.holds
            print(f"{path}: {'verified' if result.holds else 'NOT verified'} ({figures})")
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


def cmd_lesson_new(args: argparse.Namespace) -> int:
    from playground.lessons import new_lesson

    try:
        path = new_lesson(args.name)
    except FileExistsError as e:
        print(f"nn-playground lesson new: {e}", file=sys.stderr)
        return 1
    print(f"wrote {path}; edit it, then run `nn-playground lesson check --verify {path}`")
    return 0


def add_lesson_commands(commands: argparse._SubParsersAction) -> None:
    lesson = commands.add_parser(
        "lesson",
        help="check lesson files or start a new one",
        description="Lessons are Markdown files with a YAML header; docs/lessons.md describes the format.",
    )
    actions = lesson.add_subparsers(title="actions", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="report every problem in lesson files (exit 1 if any)",
        description="Check lesson files: each problem is reported as FILE:LINE: FIELD: what was expected.",
    )
    check.add_argument("files", type=Path, nargs="+", metavar="FILE", help="a lesson file, or a folder of them")
    check.add_argument(
        "--verify",
        action="store_true",
        help="also train each lesson's solution: it must pass every task, the untouched start none",
    )
    check.set_defaults(run=cmd_lesson_check)
    new = actions.add_parser(
        "new", help="write a commented starter lesson", description="Write a starter lesson that passes check."
    )
    new.add_argument("name", help="file to write (.md is added), e.g. lessons/11-my-lesson")
    new.set_defaults(run=cmd_lesson_new)


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
    build.add_argument(
        "--lessons",
        type=Path,
        default=Path("lessons"),
        metavar="DIR",
        help="the lessons to publish, checked as `lesson check` does (default: lessons)",
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
    add_lesson_commands(commands)
    add_figure_command(commands)
    add_export_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.run(args)
