"""Every lesson `lesson check` accepts also builds: lessons generated from the format's pieces (setups, views, locked
and hidden controls, tasks, solutions, text blocks), and each one check accepts goes through the site build's lesson
part (web/lesson_pages.py: its page and its entry in the pages' module) and the live page's start (the header read
again as `lesson_app` reads it, the page's session on the setup, then on each solution stage's settings).

Derandomized with a fixed number of examples, so CI sees the same lessons every run (12 s on one core); about 40% of
them are accepted. Without the MNIST lab's stack check in `lesson check`, it fails on `layers: []`."""

import string
from pathlib import Path

import param
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from playground.core.code_starts import STARTS
from playground.core.status import Status
from playground.lessons import LessonError, load_lesson
from playground.lessons.validate import parse_lesson
from playground.lessons.vocabularies import VOCABULARIES
from playground.mnist.architecture import LAYER_DEFAULTS, PRESETS
from playground.sandbox.state import HIDDEN_ACTIVATIONS
from web.lesson_pages import lesson_pages, lessons_module, page_html

EXAMPLES = 80
ODD_VALUES = ["nonsense", -1, 10**9, 0.5]  # values no setting takes, and values a setting takes only sometimes
# Layer fields beyond the editor's defaults: too small, too big, a field the lab has no control for.
LAYER_FIELDS = {"units": [10, 5, 64, 10**9], "filters": [8, 10**6], "kernel_size": [3, 40], "rate": [0.25, 1.5]}
FIGURES = [  # small ones: each distinct figure is drawn once (figure_blocks caches them)
    "kind: activations\nfunctions: [relu]\nsize: 200x150",
    "kind: dataset\ndataset: xor\nsize: 200x200",
    "kind: pie",
    "kind: dataset\nnoise: 99",
]


def setting_values(vocabulary, name):
    """Values for setting `name`: mostly what its registry accepts and its edges, sometimes one it refuses."""
    parameter = vocabulary.state_class.param[name]
    if name == "hidden_layers":
        usual = st.lists(st.sampled_from([1, 2, 4, 16, 17]), max_size=3)
    elif name == "layer_activations":
        usual = st.lists(st.sampled_from(["", *HIDDEN_ACTIVATIONS]), max_size=3)
    elif name == "layers":
        return layer_stacks()
    elif isinstance(parameter, param.Boolean):
        usual = st.booleans()
    elif isinstance(parameter, param.ListSelector):
        usual = st.lists(st.sampled_from(parameter.objects), max_size=3, unique=True)
    elif isinstance(parameter, param.Selector):
        usual = st.sampled_from(parameter.objects)
    else:
        usual = st.sampled_from([parameter.bounds[0], parameter.bounds[1], sum(parameter.bounds) // 2])
    return st.integers(0, 19).flatmap(lambda roll: st.sampled_from(ODD_VALUES) if roll == 19 else usual)


def layer_stacks():
    """A preset's stack, or layers of the editor's kinds (and one it lacks) with usual and odd fields, often ending
    in ten scores."""
    kinds = st.sampled_from([*LAYER_DEFAULTS, "banana"])
    fields = st.sampled_from(["", *LAYER_FIELDS, "activation"])

    @st.composite
    def layer(draw):
        kind = draw(kinds)
        entry = {"type": kind, **LAYER_DEFAULTS.get(kind, {})}
        field = draw(fields)
        if field == "activation":
            entry["activation"] = "relu"
        elif field in entry:
            entry[field] = draw(st.sampled_from(LAYER_FIELDS[field]))
        return entry

    ending = st.sampled_from([[], [{"type": "flatten"}, {"type": "dense", "units": 10}]])
    built = st.tuples(st.lists(layer(), max_size=4), ending).map(lambda parts: parts[0] + parts[1])
    return built | st.sampled_from(list(PRESETS.values()))  # Hypothesis favours the first


def settings_of(vocabulary, max_size=None):
    """Some of the page's settings (each one maybe, or at most `max_size`), with values."""
    every = {name: setting_values(vocabulary, name) for name in vocabulary.settings}
    if max_size is None:
        return st.fixed_dictionaries({}, optional=every)
    names = st.lists(st.sampled_from(vocabulary.settings), max_size=max_size, unique=True)
    return names.flatmap(lambda chosen: st.fixed_dictionaries({name: every[name] for name in chosen}))


def checks(vocabulary):
    """A check from the page's metrics: a comparison with a literal of the metric's kind (or another), joined by
    and/or, maybe under `not`."""
    metrics = vocabulary.metrics

    @st.composite
    def comparison(draw):
        name = draw(st.sampled_from(sorted(metrics)))
        metric = metrics[name]
        if metric.kind == "bool":
            return draw(st.sampled_from([name, f"not {name}"]))
        if metric.kind == "strings":
            return f'"{draw(st.sampled_from([*metric.choices, "x"]))}" {draw(st.sampled_from(["in", "not in"]))} {name}'
        if metric.kind == "string":
            operator = draw(st.sampled_from(["==", "!=", "<"]))  # `<` on words is refused
            return f'{name} {operator} "{draw(st.sampled_from([*metric.choices, "rleu"]))}"'
        operator = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
        return f"{name} {operator} {draw(st.sampled_from([0, 0.5, 1, 3, 57]))}"

    joined = st.lists(comparison(), min_size=1, max_size=3).flatmap(
        lambda parts: st.sampled_from([" and ", " or "]).map(lambda joint: joint.join(parts))
    )
    return joined | joined.map(lambda check: f"not ({check})")


def tasks(vocabulary):
    task = st.fixed_dictionaries(
        {"id": st.text(string.ascii_lowercase, min_size=1, max_size=6), "text": st.just("Do it."),
         "check": checks(vocabulary)},
        optional={"hints": st.lists(st.sampled_from(["Press play.", "$x^2$ helps."]), max_size=2)},
    )  # fmt: skip
    return st.lists(task, max_size=3, unique_by=lambda entry: entry["id"])


def stages(vocabulary):
    stage = st.fixed_dictionaries(
        {"settings": settings_of(vocabulary, 2)},
        optional={"epochs": st.integers(0, 2), "steps": st.integers(0, 3), "reset": st.booleans(),
                  "code": st.sampled_from(list(STARTS))},
    )  # fmt: skip
    return st.lists(stage, max_size=2)


def body(vocabulary):
    blocks = st.sampled_from(
        ["Text with maths, $w x + b$.", "::: playground", "::: tasks", "```python\nprint(1)\n```",
         "| a | b |\n|---|---|\n| 1 | 2 |", *(f"::: view {name}" for name in vocabulary.views),
         *(f"```figure\n{figure}\n```" for figure in FIGURES), "![a missing picture](missing.png)"]
    )  # fmt: skip
    return st.lists(blocks, max_size=4).map(lambda parts: "\n\n".join(["# A lesson", *parts]) + "\n")


@st.composite
def lessons(draw):
    """The text of a lesson file, every field drawn from the pieces of its page's vocabulary."""
    page = draw(st.sampled_from(list(VOCABULARIES)))
    vocabulary = VOCABULARIES[page]
    controls = st.lists(st.sampled_from(vocabulary.settings), max_size=2, unique=True)
    header = {"title": "Generated", "summary": "Made from the format's pieces.", "level": "beginner", "order": 1}
    header |= {"page": page, "setup": draw(settings_of(vocabulary)), "locked": draw(controls)}
    header |= {"hidden": draw(controls), "tasks": draw(tasks(vocabulary)), "solution": draw(stages(vocabulary))}
    if draw(st.booleans()):
        header["views"] = draw(st.lists(st.sampled_from(list(vocabulary.views)), min_size=1, max_size=3, unique=True))
    if page == "sandbox" and draw(st.booleans()):
        header["code"] = draw(st.sampled_from(list(STARTS)))
    return f"---\n{yaml.safe_dump(header, sort_keys=False)}---\n{draw(body(vocabulary))}"


def build(lesson):
    """What the site build and the live page do with a checked lesson (raises where they would fail)."""
    pages = lesson_pages([lesson])
    html = page_html(pages, 0, "pyodide/")
    assert all(f'data-task="{task.id}"' in html for task in lesson.tasks)
    compile(lessons_module(pages), "site_lessons.py", "exec")
    live = parse_lesson(lesson.header_text, Path(f"{lesson.slug}.md"), check_text=False)  # as lesson_app reads it
    session = live.vocabulary.session_class(live.make_state())
    live.start(session)
    for stage in (None, *live.solution):
        if stage is not None:
            session.state.param.update(**stage.settings)
        assert session.view.status != Status.ERROR, session.view.message
        live.measure(session)
        type(session.state)(**{name: getattr(session.state, name) for name in live.vocabulary.settings}).to_query()


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=lessons())
def test_every_lesson_check_accepts_builds(text, tmp_path_factory):
    path = tmp_path_factory.mktemp("lesson") / "generated.md"
    path.write_text(text)
    try:
        lesson = load_lesson(path)
    except LessonError:
        event("refused")
        return
    event("accepted")
    build(lesson)
