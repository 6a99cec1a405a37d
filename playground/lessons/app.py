"""The live part of a lesson page: the sandbox or the MNIST lab set up by the lesson, its tasks checked while the
student works.

The page's prose is static HTML (built by `web/lesson_pages.py`); this app gives it document roots, each named
for the placeholder it fills (the page's `lesson.js` puts a root into the `.lesson-embed` div of that name):

    lesson-toolbar         Reset to the lesson's setup, the link to the free page, and the progress (hidden)
    lesson-playground      the lesson's views, laid out as in the sandbox (`::: playground`)
    lesson-view-NAME       one view (`::: view NAME`)

Tasks are checked after every redraw of the page's app (each training tick, each click), and latch: once done, done.
A lesson whose checks read a costly metric (the gradient check: a forward and backward pass per weight) has them
checked at most every CHECK_INTERVAL seconds while training. The done tasks travel to the page as the `value` of a
hidden text input (class `pg-lesson-progress`, JSON list of task ids); the page stores them in localStorage and
writes the stored ones back at start, which marks them done here too. The answers to predict and choice tasks
(`answers.py`) travel both ways in another (class `pg-lesson-answers`): the page writes what the student commits or
picks, with the answers it stored, and this app merges them, judges the predictions whose run is decided, and writes
the merged answers back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.core.status import Status
from playground.lessons import evaluate_tasks, latch
from playground.lessons.answers import Answers
from playground.lessons.validate import parse_lesson
from playground.mnist.app import MnistLab
from playground.sandbox.app import SandboxApp, beside_first
from playground.widgets.aria import AriaStates
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from bokeh.document import Document
    from panel.io.location import Location

    from playground.lessons.lesson import Lesson

CHECK_INTERVAL = 0.5  # seconds between task checks while training
PROGRESS_CLASS = "pg-lesson-progress"
ANSWERS_CLASS = "pg-lesson-answers"
# The free page of each lesson page with the lesson's current settings: (href, link text, CSS class).
APP_LINKS = {
    "sandbox": ("sandbox.html", "Open these settings in the free sandbox ↗", "pg-sandbox-link"),
    "mnist": ("mnist.html", "Open these settings in the MNIST lab ↗", "pg-lab-link"),
}
ROOT_PREFIX = "lesson-"
# How the playground arranges a page's views: rows stacked on top, then columns side by side (a page's views
# missing here go into its last column).
LAYOUTS = {
    "sandbox": (("controls", "status"), (("data",), ("network",), ("output",))),
    "mnist": (("controls", "status"), (("editor", "blocks"), ("curves", "drawing"))),
}


class AfterRedraw:
    """A page's app calling `after_redraw()` after each of its redraws (ticks, clicks, setting changes)."""

    after_redraw = None

    def redraw(self, *args: Any, **kwargs: Any) -> None:
        super().redraw(*args, **kwargs)
        if self.after_redraw is not None:
            self.after_redraw()


class LessonSandbox(AfterRedraw, SandboxApp):
    """The sandbox of a lesson page."""

    @property
    def doctor_view(self) -> pn.viewable.Viewer:
        """The failure doctor (its diagnoses, remedies and gradient chart), for a lesson that places it (lesson 15)."""
        return self.more.view("Doctor")

    @property
    def weights_view(self) -> pn.viewable.Viewer:
        """The weights over time (a histogram per weight matrix at a chosen epoch), for a lesson that places it
        (lesson 16)."""
        return self.more.view("Weights over time")


class LessonLab(AfterRedraw, MnistLab):
    """The MNIST lab of a lesson page: the views the lesson shows are redrawn as the open tab's are in the lab."""

    def show_only(self, views: Sequence[pn.viewable.Viewer]) -> None:
        """Redraw `views` (of the lab's tab views) after each tick and change, instead of the open tab's."""
        shown = [view for group in self.tab_views for view in group if any(view is other for other in views)]
        self.tab_views = (shown,)
        self.tabs.active = 0
        self.redraw()


APPS = {"sandbox": LessonSandbox, "mnist": LessonLab}


class LessonPage(pn.viewable.Viewer):
    """A lesson's live views, tasks, reset button and link to the free sandbox or lab; see the module doc."""

    def __init__(self, lesson: Lesson, embeds: Iterable[str] = ("playground",), **params: Any) -> None:
        """`embeds`: the placeholders of the lesson's text, "playground" or "view-NAME" (`lesson_embeds`)."""
        super().__init__(**params)
        self.lesson, self.embeds = lesson, tuple(embeds)
        self.done = dict.fromkeys(evaluate_tasks(lesson, {}), False)
        self.answers = Answers()
        self._checked_at = 0.0
        self._check_every_redraw = not lesson.costly_checks
        self.app = APPS[lesson.page](lesson.make_state())
        self.state = self.app.state
        if isinstance(self.app, LessonLab):
            self.app.show_only([self.view(name) for name in self.shown_views()])
        self.reset_button = pn.widgets.Button(
            name="↺ Reset to the lesson's setup",
            description="The lesson's starting settings and fresh weights; tasks you did stay done",
            height=36,
        )
        self.reset_button.on_click(lambda event: self.reset_to_setup())
        self.app_link = html(margin=(8, 10))
        self.progress = pn.widgets.TextInput(value="[]", visible=False, css_classes=[PROGRESS_CLASS])
        self.progress.param.watch(lambda event: self._restore(event.new), "value")
        self.answers_input = pn.widgets.TextInput(
            value=self.answers.to_json(), visible=False, css_classes=[ANSWERS_CLASS]
        )
        self.answers_input.param.watch(lambda event: self._hear_answers(event.new), "value")
        self.state.param.watch(lambda *events: self._show_app_link(), list(lesson.vocabulary.settings))
        self._show_app_link()
        self.app.after_redraw = self._after_redraw
        self._start()

    # -- tasks ----------------------------------------------------------------------------------------

    def check_tasks(self) -> None:
        """Evaluates every task on the session now (the predictions whose run is decided are judged); newly passed
        tasks become done and the page is told."""
        metrics = self.lesson.measure(self.app.session)
        self._set_answers(self.answers.decide(self.lesson, metrics))
        self._set_done(latch(self.done, self.lesson, metrics, self.answers))
        self._checked_at = time.monotonic()

    def _after_redraw(self):
        """Tasks are checked after every redraw, so that a task ticks on the values the student sees: lesson 18's
        batches of one point move the test accuracy above and below its 97% from one redraw to the next. A lesson
        with a costly check has it every CHECK_INTERVAL while training, and a committed prediction's run still after
        every redraw, so that it is judged where its check first holds (half a second later lesson 14's small network
        had trained up to 50 epochs past the 40 its student had predicted for)."""
        if (
            self._check_every_redraw
            or self.app.session.view.status != Status.RUNNING
            or time.monotonic() - self._checked_at >= CHECK_INTERVAL
            or self.answers.awaiting_run(self.lesson)
        ):
            self.check_tasks()

    def _restore(self, value):
        """Progress the page stored (a JSON list of done task ids): those tasks are done here too."""
        try:
            stored = json.loads(value)
        except ValueError:
            stored = []
        ids = {task_id for task_id in stored if isinstance(task_id, str)} if isinstance(stored, list) else set()
        self._set_done({task_id: passed or task_id in ids for task_id, passed in self.done.items()})

    def _hear_answers(self, value):
        """Answers the page sent (a JSON object, `answers.py`): what the student committed or picked, and what the
        browser stored; merged into these, then the tasks checked at once (a correct pick is done, a prediction whose
        run is already decided judged)."""
        if value != self.answers.to_json():  # not this app's own
            self.answers = self.answers.merged(Answers.from_json(self.lesson, value))
            self.check_tasks()

    def _set_answers(self, answers):
        """Keeps `answers` and tells the page, unless it has them already."""
        self.answers = answers
        value = answers.to_json()
        if self.answers_input.value != value:
            self.answers_input.value = value

    def _set_done(self, done):
        self.done = done
        value = json.dumps([task_id for task_id, passed in done.items() if passed])
        if self.progress.value != value:
            self.progress.value = value

    # -- setup and the link to the free page ----------------------------------------------------------

    def reset_to_setup(self) -> None:
        """The lesson's starting settings and fresh weights (done tasks stay done)."""
        setup = self.lesson.make_state()
        self.state.param.update({name: getattr(setup, name) for name in self.lesson.vocabulary.settings})
        self.app.session.reset()
        self._start()

    def _start(self):
        """What the lesson gives beyond settings (the editor's start), then the page drawn and the tasks checked."""
        self.lesson.start(self.app.session)
        self.app.redraw()

    def app_query(self) -> str:
        """The current settings as the free page's query string (no hidden or locked controls there)."""
        settings = {name: getattr(self.state, name) for name in self.lesson.vocabulary.settings}
        return type(self.state)(**settings).to_query()

    def _show_app_link(self):
        page, text, css_class = APP_LINKS[self.lesson.page]
        query = self.app_query()
        href = escape(page + (f"?{query}" if query else ""))
        self.app_link.object = f"<a href='{href}' target='_blank' rel='noopener' class='{css_class}'>{text}</a>"

    # -- the page's roots -------------------------------------------------------------------------------

    def view(self, name: str) -> pn.viewable.Viewer:
        """The view of the page's app a lesson calls `name` (vocabularies.SANDBOX_VIEWS, MNIST_VIEWS)."""
        return getattr(self.app, self.lesson.vocabulary.views[name])

    def shown_views(self) -> list[str]:
        """Every view name on the page: the playground's (the lesson's `views`) and those placed on their own."""
        placed = [embed.removeprefix("view-") for embed in self.embeds if embed.startswith("view-")]
        return list(dict.fromkeys([*self.lesson.views, *placed]))

    def arrangement(self) -> tuple[list[str], list[list[str]]]:
        """(rows, columns) of the lesson's view names as the page arranges them (LAYOUTS)."""
        rows, columns = LAYOUTS[self.lesson.page]
        listed = {*rows, *(name for column in columns for name in column)}
        rest = tuple(name for name in self.lesson.vocabulary.views if name not in listed)
        shown = set(self.lesson.views)
        columns = ([name for name in column if name in shown] for column in (*columns[:-1], columns[-1] + rest))
        return [name for name in rows if name in shown], [column for column in columns if column]

    def playground(self) -> pn.Column:
        """The lesson's views arranged as on the page: controls and status above, then the columns side by side,
        wrapping on a narrower screen as the sandbox's do (a lone view is its column, so the network's diagram can
        shrink before the output goes below it)."""
        rows, columns = self.arrangement()
        # A column of several views is as wide as its widest (a stretching view would take a line of its own).
        fits = {"width": "fit-content", "min-width": "0", "max-width": "100%"}
        views = [
            self.view(column[0]) if len(column) == 1 else pn.Column(*map(self.view, column), styles=fits)
            for column in columns
        ]
        side_by_side = [beside_first(*views)] if len(views) > 1 else views
        return pn.Column(*map(self.view, rows), *side_by_side, sizing_mode="stretch_width", styles=SHRINKS)

    def toolbar(self) -> pn.Row:
        return pn.Row(
            self.reset_button,
            self.app_link,
            self.progress,
            self.answers_input,
            AriaStates(),  # names and states for the widgets of every root on the page
            sizing_mode="stretch_width",
            stylesheets=[WRAP_ROW],
            styles=SHRINKS,
        )

    def roots(self) -> dict[str, pn.viewable.Viewable]:
        """{root name: viewable}: the toolbar, then the playground or view of each placeholder."""
        roots = {"toolbar": self.toolbar()}
        for embed in self.embeds:
            roots[embed] = self.playground() if embed == "playground" else self.view(embed.removeprefix("view-"))
        return {ROOT_PREFIX + name: root for name, root in roots.items()}

    def __panel__(self) -> LessonRoots:
        return LessonRoots(self.roots())


class LessonRoots(pn.Column):
    """Each named viewable as a document root of its own (the page places each root by its name)."""

    def __init__(self, roots: dict[str, pn.viewable.Viewable], **params: Any) -> None:
        super().__init__(**params)
        self.named_roots = roots

    def server_doc(
        self, doc: Document | None = None, title: str | None = None, location: bool | Location = True
    ) -> Document:
        for index, (name, viewable) in enumerate(self.named_roots.items()):
            root = pn.Column(viewable, name=name, sizing_mode="stretch_width", styles=SHRINKS)
            doc = root.server_doc(doc, title=title, location=location and index == 0)
        return doc


def lesson_app(slug: str, header: str, embeds: Iterable[str]) -> LessonPage:
    """The live part of lesson `slug` from its file's header and its text's placeholders (the site ships no more:
    the prose is already HTML)."""
    return LessonPage(parse_lesson(header, Path(f"{slug}.md"), check_text=False), embeds)
