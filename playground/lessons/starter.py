"""`nn-playground lesson new NAME`: a commented starter lesson that passes `lesson check --verify` as it is."""

from pathlib import Path

STARTER = """\
---
# The header is YAML: `name: value` lines. docs/lessons.md describes every field.
title: {title}
summary: A circle inside a ring cannot be cut by one straight line; a few hidden neurons can bend the boundary.
level: beginner          # beginner, intermediate or advanced
order: 100               # the lesson's place in the curriculum; each lesson has its own

# The starting settings, with the playground's URL names (nn-playground lesson check lists them when wrong).
setup:
  dataset: circle
  features: [x, y]
  hidden_layers: [1]
  learning_rate: 0.03
  seed: 1

views: [controls, status, data, network, output]   # which parts of the playground the student sees
locked: [dataset, features]                         # shown, but the student cannot change them
hidden: [regularization, regularization_rate]       # not shown at all

# Each task is checked live while the student trains; a task is done the first time its check is true.
# `kind: observe`, `kind: predict` (options, then a run decides) and `kind: choice` ask for more: docs/lessons.md,
# "Task kinds"; lessons 14 and 15 use them.
tasks:
  - id: bend-the-boundary
    text: Give the hidden layer more neurons and train until the test accuracy passes 90%.
    check: test_accuracy >= 0.9 and hidden_neurons >= 3
    hints:                                           # revealed one at a time, on request
      - One neuron draws one straight line. How many lines does a closed shape need?
      - Try 4 neurons in the hidden layer.

# What a student would do to pass every task; `lesson check --verify` plays it and the untouched start.
solution:
  settings: {{hidden_layers: [4]}}
  epochs: 100
---

# {title}

Write the lesson here in Markdown. Maths is written in TeX: the output is $\\tanh(w \\cdot x + b)$, and

$$
\\text{{loss}} = \\frac{{1}}{{2}} (\\hat y - y)^2
$$

A line with `::: playground` shows the playground, set up as the header says; `::: view NAME` shows one
of its views:

::: playground

Press play. Then do the tasks below; the hints are there when you need them.
"""


def new_lesson(name: str | Path) -> Path:
    """Writes the starter lesson to NAME (".md" added when missing) and returns its path; never overwrites."""
    path = Path(name if str(name).endswith(".md") else f"{name}.md")
    if path.exists():
        raise FileExistsError(f"{path} already exists; choose another name")
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "New lesson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER.format(title=title), encoding="utf-8")
    return path
