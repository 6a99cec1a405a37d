"""The glass box's engine room: the code shown is the code that runs, and a recorded training step is the real one,
its stages the values each line of the engine produced."""

import copy
import dis
import inspect
import textwrap

import numpy as np
import pytest

from nn_core import ACTIVATIONS
from nn_core.layers.dense import Dense
from nn_core.trainer import train_step
from playground.core.code_trace import Source, record, record_step, source_of, step_sources
from playground.mnist.architecture import LAYER_DEFAULTS
from playground.mnist.session import MnistSession
from playground.mnist.state import MnistState
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState


def compiled_from_file(source: Source):
    """The code object that compiling the shown function's file makes for it (found by name and first line)."""
    with open(source.path) as file:
        lines = file.readlines()
    shown = textwrap.dedent("".join(lines[source.first_line - 1 :][: source.text.count("\n")]))
    assert shown == source.text, source.title  # the text shown is that stretch of the file, unchanged
    codes = [compile("".join(lines), source.path, "exec")]
    while codes:
        code = codes.pop()
        if code.co_qualname == source.title and code.co_firstlineno == source.first_line:
            return code
        codes += [const for const in code.co_consts if inspect.iscode(const)]
    raise AssertionError(f"{source.title} is not in {source.path}")


def instructions(code):
    """What a code object does, line by line (its inline caches, which count calls, left out)."""
    return [(i.opname, i.argrepr, i.positions.lineno) for i in dis.get_instructions(code)]


def sandbox(**settings):
    session = Session(PlaygroundState(**settings))
    trainer = session.trainer
    return session, trainer.x_train[:10], trainer.y_train[:10]


def test_what_is_shown_is_the_code_that_runs():
    session, _, _ = sandbox(optimizer="adam", regularization="l2", regularization_rate=0.001)
    sources = step_sources(session.model, session.trainer.loss, session.trainer.optimizer)
    titles = [source.title for source in sources]
    assert titles[:4] == ["train_step", "Sequential.forward", "Sequential.forward_trace", "Sequential.backward"]
    assert {"Dense.forward", "Dense.backward", "Dense.backward_params", "Optimizer.step", "Adam.update"} <= set(titles)
    for source in sources:  # the text shown is in the file that, compiled again, gives the very bytecode that runs
        assert instructions(compiled_from_file(source)) == instructions(source.code), source.title
    shown = source_of(Dense.backward)
    assert shown.text.startswith("def backward(self, grad_y):\n") and 'matmul(grad_y, self.params["W"].T)' in shown.text
    assert shown.path == inspect.getsourcefile(Dense) and shown.code is Dense.backward.__code__


def test_a_recorded_step_is_the_real_step_and_changes_the_model_as_an_untraced_one_would():
    session, x, y = sandbox()
    model, loss, optimizer = session.model, session.trainer.loss, session.trainer.optimizer
    twin = copy.deepcopy((model, loss, optimizer))
    stages = record_step(model, loss, optimizer, x, y)
    train_step(*twin, x, y)
    for (name, param, _), (_, twin_param, _) in zip(model.named_params(), twin[0].named_params(), strict=True):
        np.testing.assert_array_equal(param, twin_param, err_msg=name)
    assert stages and all(
        stage.source.code in {s.code for s in step_sources(model, loss, optimizer)} for stage in stages
    )


def test_each_stage_holds_what_its_line_produced_in_the_order_the_lines_ran():
    session, x, y = sandbox(hidden_layers=[3])
    model, loss, optimizer = session.model, session.trainer.loss, session.trainer.optimizer
    before = copy.deepcopy(model)
    outputs = before.forward_trace(np.asarray(x, dtype=float))
    stages = record_step(model, loss, optimizer, x, y)
    lines = [(stage.source.title, stage.code_line) for stage in stages]

    # train_step's own lines, in order: forward, loss, backward, update
    own = [stage for stage in stages if stage.source.title == "train_step" and not stage.call]
    assert [stage.code_line.split("#")[0].strip() for stage in own][:2] == [
        "prediction = model.forward(x)  ".strip(),
        "batch_loss = float(loss.forward(prediction, y))",
    ]
    np.testing.assert_allclose(own[0].values["prediction"], outputs[-1])
    assert own[1].values["batch_loss"] == pytest.approx(loss.forward(outputs[-1], y))

    # each dense layer's forward returned its output, marked with its layer
    dense_returns = [s for s in stages if s.source.title == "Dense.forward" and "returns" in s.values]
    dense_layers = [i for i, layer in enumerate(before.layers) if isinstance(layer, Dense)]
    assert [s.layer for s in dense_returns] == dense_layers
    for stage in dense_returns:
        np.testing.assert_allclose(stage.values["returns"], outputs[stage.layer])

    # backward fills each dense layer's weight gradient: x.T @ grad_y (by matmul), recorded on the line that computed it
    grads = [s for s in stages if "self.grads['W']" in s.values]
    calls = [s for s in stages if s.call and s.source.title == "Dense.backward_params"]
    assert [s.layer for s in calls] == dense_layers[::-1] and all(set(s.values) >= {"grad_y"} for s in calls)
    assert stages[0].call and stages[0].source.title == "train_step" and set(stages[0].values) == {"x", "y"}
    assert [s.layer for s in grads] == dense_layers[::-1]
    assert all(s.code_line == 'self.grads["W"] = matmul(self.x.T, grad_y)' for s in grads)
    final = {name: grad for name, _, grad in model.named_params()}
    for stage in grads:
        np.testing.assert_allclose(stage.values["self.grads['W']"], final[f"{stage.layer}.W"])

    # the update line changed each parameter in place: recorded with its new values
    updates = [s for s in stages if s.source.title == "SGD.update" and not s.call]
    assert len(updates) == len(final) and all("param" in s.values for s in updates)
    np.testing.assert_allclose(updates[0].values["param"], model.layers[0].params["W"])
    assert ("train_step", "return batch_loss") in lines
    order = [title for title, _ in lines]
    assert order.index("Dense.forward") < order.index("Dense.backward_params") < order.index("SGD.update")


def test_every_kind_of_layer_the_mnist_lab_builds_is_shown_and_recorded():
    kinds = ["conv2d", "batchnorm", "relu", "maxpool2d", "conv2d", "avgpool2d", "dropout", "flatten", "dense",
             *ACTIVATIONS, "dense"]  # fmt: skip
    layers = [{"type": kind, **LAYER_DEFAULTS[kind]} for kind in kinds]
    session = MnistSession(MnistState(layers=[*layers[:-1], {"type": "dense", "units": 10}], input_size=14))
    model, trainer = session.model, session.trainer
    titles = {source.title for source in step_sources(model, trainer.loss, trainer.optimizer)}
    stages = record_step(model, trainer.loss, trainer.optimizer, trainer.x_train[:4], trainer.y_train[:4])
    calls = {(stage.layer, stage.source.title.split(".")[-1]) for stage in stages if stage.call}
    for index, layer in enumerate(model.layers):  # the first layer's input needs no gradient: backward_params
        backward = "backward" if index else "backward_params"
        assert {(index, "forward"), (index, backward)} <= calls, (index, layer)
        assert {getattr(type(layer), name).__qualname__ for name in ("forward", backward)} <= titles, layer
    assert {"train_step", "Sequential.forward_trace", "SoftmaxCrossEntropy.backward", "Adam.update"} <= titles
    in_optimizer = {stage.source.title for stage in stages if not stage.examples}
    assert in_optimizer == {"Optimizer.step", "Adam.update"}  # their arrays are parameters, not examples


def test_a_sessions_own_step_is_recorded_as_the_step_it_trains_and_nothing_around_it():
    session, twin = Session(PlaygroundState()), Session(PlaygroundState())
    for _ in range(24):  # to the last batch of the first epoch: its end runs the training check (a forward pass)
        session.step_batch()
        twin.step_batch()
    trainer = twin.trainer
    order = trainer._order[trainer._position :]  # the batch both train on next
    twin_stages = record_step(
        twin.model, trainer.loss, trainer.optimizer, trainer.x_train[order], trainer.y_train[order]
    )
    stages = record(session.step_batch, session.model, session.trainer.loss, session.trainer.optimizer)
    assert session.view.step == 25 and session.view.epoch == 1
    assert [(s.source.title, s.line, s.call) for s in stages] == [(s.source.title, s.line, s.call) for s in twin_stages]
    for stage, twin_stage in zip(stages, twin_stages, strict=True):
        for name, value in stage.values.items():
            parts = [v if isinstance(v, list) else [v] for v in (value, twin_stage.values[name])]
            for part, twin_part in zip(*parts, strict=True):
                np.testing.assert_array_equal(part, twin_part, err_msg=f"{stage.source.title} {name}")
