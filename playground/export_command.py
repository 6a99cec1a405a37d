"""`nn-playground export MODEL.npz --to pytorch|notebook|python --out FILE`: a saved model as a PyTorch script, as a
Jupyter notebook that goes on training it in PyTorch, or as Python that needs only numpy.

The .npz holds the network and its weights, not how it was trained: the notebook takes the data set, features, loss
and optimizer from the page's settings (`--settings`, the page's address or its query; the page's defaults without
it), builds that page's session and uses it only if its network is the file's, so the notebook trains on what the
page trained on. Every problem is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from nn_core.export import export_python
from nn_core.export_torch import ExportError, export_torch
from nn_core.saving import ModelFileError, load_model
from playground.core.query import query_of
from playground.core.status import Status

if TYPE_CHECKING:
    from nn_core.model import Sequential
    from playground.core.model_files import ModelFiles

SUFFIXES = {"pytorch": ".py", "notebook": ".ipynb", "python": ".py"}
MNIST_SIDES = (28, 14)
DEMO_DIGITS = 4


class CommandError(Exception):
    """What is wrong with the command's input, in one line."""


def exported(model: Sequential, form: str, settings: str | None, module: str) -> str:
    """The text of the file `form` makes of the model; CommandError, ExportError or ModelFileError say why not."""
    if settings is not None and form != "notebook":
        raise CommandError("--settings goes with --to notebook (a script needs only the model)")
    if form == "python":
        return export_python(model)
    if form == "pytorch":
        return export_torch(model, *demo_digits(model), module=module)
    return page_session(model, query_of(settings or "")).model_notebook()


def demo_digits(model: Sequential) -> tuple:
    """(inputs, words) of the PyTorch script's demo: the first test digits of the small MNIST for a model that reads
    digits, () otherwise (the script makes up inputs)."""
    from nn_core.datasets import load_mnist

    if not _reads_digits(model):
        return ()
    return load_mnist("test", model.input_shape[1], dtype=model.dtype)[0][:DEMO_DIGITS], "test digits"


def _reads_digits(model: Sequential) -> bool:
    """Whether the model's input is the MNIST lab's: (1, 28, 28) or (1, 14, 14)."""
    return model.input_shape in [(1, side, side) for side in MNIST_SIDES]


def page_session(model: Sequential, query: str) -> ModelFiles:
    """The session of the page the model comes from (the MNIST lab for images, else the sandbox) with the settings of
    `query` and the model's weights; CommandError when the settings cannot be used or describe another network."""
    if len(model.input_shape) == 3:
        from playground.mnist.session import MnistSession
        from playground.mnist.state import MnistState

        if not _reads_digits(model):
            raise CommandError(
                f"the network reads images of {model.input_shape}; the notebook knows the MNIST lab's, (1, 28, 28) "
                "and (1, 14, 14)"
            )
        session = MnistSession(_state(MnistState, query))
    else:
        from playground.sandbox.session import Session
        from playground.sandbox.state import PlaygroundState

        session = Session(_state(PlaygroundState, query))
    if session.view.status == Status.ERROR:
        raise CommandError(f"the page cannot build this network: {session.view.message}")
    own, theirs = session.model.spec(), model.spec()
    if any(own[key] != theirs[key] for key in ("input_shape", "dtype", "layers")):
        raise CommandError(
            f"the file's network is {_network(theirs)}, the settings' {_network(own)}: give the page's address the "
            "model was trained with as --settings"
        )
    session.model.load_state_dict(model.state_dict())
    return session


def _network(spec: dict) -> str:
    """A network in a few words: "2 inputs → dense 8 → relu → dense 1 → tanh" (float32 said when it is)."""
    layers = [f"{entry['type']} {entry.get('units', entry.get('filters', ''))}".strip() for entry in spec["layers"]]
    dtype = " (float32)" if spec.get("dtype") == "float32" else ""
    return " → ".join(["x".join(map(str, spec["input_shape"])) + " inputs", *layers]) + dtype


def _state(state_class, query: str):
    """The page's state for `query`; CommandError naming the settings it cannot use."""
    state, notices = state_class.from_query(query)
    if notices:
        raise CommandError(f"--settings has settings the page cannot use: {'; '.join(notices)}")
    return state


def cmd_export(args: argparse.Namespace) -> int:
    out, suffix = args.out, SUFFIXES[args.to]
    try:
        if out.suffix.lower() != suffix:
            raise CommandError(f"--to {args.to} writes a {suffix} file: name it in --out, e.g. model{suffix}")
        if out.exists() and not args.force:
            raise CommandError(f"{out} exists; add --force to replace it")
        try:
            model = load_model(args.model)
        except ModelFileError as error:
            raise CommandError(f"{args.model}: {error}") from None
        text = exported(model, args.to, args.settings, out.stem if out.stem.isidentifier() else "model")
        out.write_text(text, encoding="utf-8")
    except (CommandError, ExportError) as error:
        print(f"nn-playground export: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"nn-playground export: cannot write {out} ({error.strerror}); choose another --out", file=sys.stderr)
        return 2
    print(f"wrote {out} ({len(text.encode()):,} bytes)")
    return 0


def add_export_command(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write a saved model (.npz) as a PyTorch script, a PyTorch notebook or Python with numpy alone",
        description="Write a model saved on a page (Save model, .npz) as a standalone PyTorch script (`from model "
        "import model`), a Jupyter notebook that goes on training it in PyTorch on the page's data, or Python that "
        "needs only numpy. docs/export.md says what each holds.",
    )
    export.add_argument("model", type=Path, metavar="MODEL.npz", help="a model file saved by a page")
    export.add_argument(
        "--to",
        choices=list(SUFFIXES),
        default="pytorch",
        help="pytorch: a .py script (default); notebook: a .ipynb notebook; python: a .py script with numpy alone",
    )
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="the file to write (.py or .ipynb)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument(
        "--settings",
        metavar="URL",
        help="notebook only: the page's address (or its query) the model was trained with, which gives the data set, "
        "features, loss and optimizer (default: the page's defaults)",
    )
    export.set_defaults(run=cmd_export)
