"""The `nn-playground` command (also `python -m playground`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nn_core
from playground.export_command import add_export_command
from playground.figures.command import add_figure_command

DEFAULT_SITE = Path("build/site")


def _build(args: argparse.Namespace, pages: list, lessons: list, command: str, later_visits: bool = True):
    """build_site into args.out with the command's options, each stage numbered; None (told) when it fails."""
    from web.fetch import FetchError
    from web.pyodide_dist import DistError
    from web.site import build_site

    stage = iter(range(1, 100))
    try:
        return build_site(
            args.out,
            pages,
            pyodide=args.pyodide,
            packages_from=args.packages_from,
            lessons=lessons,
            later_visits=later_visits,
            report=lambda line: print(f"[{next(stage)}] {line}", flush=True),
        )
    except (DistError, FetchError, ValueError) as e:
        print(f"nn-playground {command}: {e}", file=sys.stderr)
        return None


def cmd_build(args: argparse.Namespace) -> int:
    from playground.lessons import LessonError, load_all
    from playground.pages import PAGES

    if not args.lessons.is_dir():
        print(f"nn-playground build: no lessons folder {args.lessons}; give one with --lessons DIR", file=sys.stderr)
        return 1
    try:
        lessons = load_all(args.lessons)  # the checks of `lesson check`: an invalid lesson stops the build
    except LessonError as e:
        print(f"{e}\nnn-playground build: fix the lessons above; nothing was built", file=sys.stderr)
        return 1
    summary = _build(args, PAGES, lessons, "build")
    if summary is None:
        return 1
    print(
        f"built {args.out}: {len(summary.files)} files, {summary.total_bytes / 1e6:.1f} MB; each app page "
        f"loads {summary.page_bytes / 1e6:.1f} MB from the site; cache nn-playground-{summary.build_hash}"
    )
    return 0


def _listen(make, args: argparse.Namespace, command: str):
    """make()'s bound server, or None (told) when the address is taken or refused."""
    try:
        return make()
    except OSError as e:
        print(
            f"nn-playground {command}: cannot listen on {args.host}:{args.port} ({e.strerror}); "
            f"choose another with --port.",
            file=sys.stderr,
        )
        return None


def cmd_serve(args: argparse.Namespace) -> int:
    from web.serve import make_server

    if not (args.directory / "index.html").is_file():
        print(
            f"nn-playground serve: {args.directory} holds no built site; run `nn-playground build` first.",
            file=sys.stderr,
        )
        return 1
    server = _listen(lambda: make_server(args.directory, args.host, args.port), args, "serve")
    if server is None:
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
                if result.at_start.get(task_id):
                    print(f"{path}: solution: task {task_id!r} already passes with the starting setup", file=sys.stderr)
            for problem, line in _prediction_lines(lesson, result):
                print(f"{path}: {line}", file=sys.stderr if problem else sys.stdout)
            failed |= not result.holds
            print(f"{path}: {'verified' if result.holds else 'NOT verified'} ({figures})")
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


def _prediction_lines(lesson, result) -> list[tuple[bool, str]]:
    """[(a problem?, line)]: what each run's decided predictions showed, the options whose outcome held, or that none
    did (a problem: the page would judge every prediction wrong)."""
    lines = []
    for run, outcomes in (("the solution's run", result.outcomes), ("the starting setup's run", result.start_outcomes)):
        for task in (task for task in lesson.tasks if task.id in outcomes):
            held = outcomes[task.id]
            said = ", ".join(f"option {index + 1} ({task.options[index].text!r})" for index in held)
            lines.append(
                (False, f"task {task.id!r}: {run} decided it: {said}") if held else
                (True, f"solution: task {task.id!r}: {run} decided it, but no option's outcome is true then: add an "
                 "option for what happened, or widen an outcome")
            )  # fmt: skip
    return lines


def cmd_lesson_serve(args: argparse.Namespace) -> int:
    import threading

    from playground.pages import PAGES
    from web.lesson_preview import LessonFolder, PreviewSite, watch
    from web.preview_server import make_preview_server

    if not args.folder.is_dir():
        print(f"nn-playground lesson serve: no lessons folder {args.folder}", file=sys.stderr)
        return 1
    folder = LessonFolder(args.folder)
    folder.refresh()
    for problem in folder.problems():  # the build leaves these files out; the page shows their problems
        print(problem, file=sys.stderr)
    if _build(args, PAGES, folder.lessons(), "lesson serve", later_visits=False) is None:
        return 1
    site = PreviewSite(args.out, folder, PAGES, "pyodide/" if args.pyodide == "self-hosted" else _cdn_url())
    server = _listen(lambda: make_preview_server(site, args.host, args.port), args, "lesson serve")
    if server is None:
        return 1
    host, port = server.server_address[:2]
    print(
        f"Previewing {args.folder} at http://{host}:{port}/  (saving a lesson updates the open page; Ctrl+C stops)",
        flush=True,
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    try:
        watch(site, lambda line: print(line, flush=True), stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    return 0


def _cdn_url() -> str:
    from web.pins import load_pins

    return load_pins().cdn_url


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
    serve = actions.add_parser(
        "serve",
        help="preview a folder of lessons: the open page follows every save",
        description="Build the site with the lessons of FOLDER (they replace the stock lessons, as with "
        "`build --lessons`) and serve it; each save re-checks the lesson, rewrites its page and the home page's "
        "list, and reloads the open page. Problems show in the terminal and on the page, over the last good version.",
    )
    serve.add_argument("folder", type=Path, metavar="FOLDER", help="the lessons folder to watch, e.g. lessons")
    serve.add_argument(
        "--out", type=Path, default=Path("build/lesson-preview"), help="build folder (default: build/lesson-preview)"
    )
    add_listen_options(serve)
    add_pyodide_options(serve)
    serve.set_defaults(run=cmd_lesson_serve)
    new = actions.add_parser(
        "new", help="write a commented starter lesson", description="Write a starter lesson that passes check."
    )
    new.add_argument("name", help="file to write (.md is added), e.g. lessons/11-my-lesson")
    new.set_defaults(run=cmd_lesson_new)


def add_listen_options(parser: argparse.ArgumentParser) -> None:
    """--host and --port, as `serve` and `lesson serve` take them."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")


def add_pyodide_options(parser: argparse.ArgumentParser) -> None:
    """--pyodide and --packages-from, as `build` and `lesson serve` take them."""
    parser.add_argument(
        "--pyodide",
        choices=["self-hosted", "cdn"],
        default="self-hosted",
        help="where pages load Pyodide's core and packages from: the site itself (default) or "
        "the official CDN (the site's own wheels still come from the site)",
    )
    parser.add_argument(
        "--packages-from",
        metavar="SOURCE",
        help="where Pyodide's wasm packages come from: 'cdn', a URL, a folder, an archive "
        "(optionally '#folder/inside'), or 'pypi:NAME==VERSION#folder' "
        "(default: the pinned PyPI package, see web/pins.toml)",
    )


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
    add_pyodide_options(build)
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
    add_listen_options(serve)
    serve.set_defaults(run=cmd_serve)
    add_lesson_commands(commands)
    add_figure_command(commands)
    add_export_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.run(args)
