"""`nn-playground figure`: a shared playground link becomes a figure. Trains the setup the URL describes for N
epochs (deterministic: the state's seed fixes data, weights and order) and writes one view as SVG, PNG or PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from playground.core.query import query_of
from playground.core.status import Status
from playground.figures.save import DEFAULT_DPI, FORMATS, FigureError

if TYPE_CHECKING:
    from playground.sandbox.session import Session

MAX_EPOCHS = 5000
SANDBOX_VIEWS = ("network", "boundary", "curves", "histograms")


def size_of(text: str) -> tuple[int, int]:
    """(width, height) from "WIDTHxHEIGHT", for argparse."""
    width, _, height = text.lower().partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels, e.g. 1200x800, got {text!r}") from None


def trained_session(query: str, epochs: int) -> Session:
    """A Session of the state in `query`, trained for `epochs` epochs; FigureError on bad settings or divergence."""
    from playground.sandbox.session import Session
    from playground.sandbox.state import PlaygroundState

    state, notices = PlaygroundState.from_query(query)
    if notices:
        listed = "\n  ".join(notices)
        raise FigureError(f"the URL has settings the playground cannot use (fix or remove them):\n  {listed}")
    session = Session(state)
    if session.view.status == Status.ERROR:
        raise FigureError(session.view.message)
    for _ in range(epochs):
        session.step_epoch()
        if session.view.status == Status.DIVERGED:
            raise FigureError(session.view.message.replace("press Restore", "make the figure again"))
    return session


def cmd_figure(args: argparse.Namespace) -> int:
    from playground.figures.sandbox import sandbox_figure

    fmt = args.out.suffix.lower().lstrip(".")
    try:
        if fmt not in FORMATS:
            raise FigureError(f"--out must end in {', '.join('.' + f for f in FORMATS)}, got {args.out.name!r}")
        if not 0 <= args.epochs <= MAX_EPOCHS:
            raise FigureError(f"--epochs must be from 0 to {MAX_EPOCHS}, got {args.epochs}")
        session = trained_session(query_of(args.url), args.epochs)
        data = sandbox_figure(args.view, session, fmt, size=args.size, dpi=args.dpi)
        args.out.write_bytes(data)
    except FigureError as error:
        print(f"nn-playground figure: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        reason = f"cannot write {args.out} ({error.strerror}); choose another --out"
        print(f"nn-playground figure: {reason}", file=sys.stderr)
        return 1
    view = session.view
    trained = f"after {view.epoch} epochs, step {view.step}, test loss {view.test_loss:.4f}"
    print(f"wrote {args.out} ({len(data):,} bytes): {args.view} {trained}")
    return 0


def add_figure_command(commands: argparse._SubParsersAction) -> None:
    figure = commands.add_parser(
        "figure",
        help="train a playground setup (a shared link) and write one of its views as SVG, PNG or PDF",
        description="Train the setup a playground URL describes for N epochs (same URL, same figure) and write a "
        "view: the network diagram, the decision boundary with the data, the loss curves or the weight histograms.",
    )
    figure.add_argument(
        "--url", required=True, help="a playground link or just its query, e.g. 'dataset=spiral&hidden_layers=8,8'"
    )
    figure.add_argument("--view", required=True, choices=SANDBOX_VIEWS, help="which view to draw")
    figure.add_argument("--epochs", type=int, default=100, help="epochs to train first (default 100; 0: untrained)")
    figure.add_argument("--size", type=size_of, metavar="WxH", help="pixels, e.g. 1200x800 (default: per view)")
    figure.add_argument("--dpi", type=int, default=DEFAULT_DPI, help=f"dots per inch (default {DEFAULT_DPI})")
    figure.add_argument("--out", type=Path, required=True, help="the file to write: .svg, .png or .pdf")
    figure.set_defaults(run=cmd_figure)
