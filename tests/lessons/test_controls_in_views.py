"""Where each setting's control is, as `lesson check` assumes it (Vocabulary.controls), read from the lesson pages'
own widgets: every view holds the controls said to be in it and no other setting's, so a task on a setting whose
view the lesson does not show is rightly refused."""

import panel as pn
import pytest

from playground.lessons.app import LessonLab, LessonSandbox
from playground.lessons.vocabularies import VOCABULARIES
from playground.widgets.access import controlled_setting


def controlled(view, settings):
    """The settings the widgets of `view` (a Panel viewer) change, among `settings`."""
    widgets = pn.panel(view).select(pn.widgets.Widget)
    return {name for widget in widgets if (name := controlled_setting(widget)) in settings}


@pytest.mark.parametrize("page, app_class", [("sandbox", LessonSandbox), ("mnist", LessonLab)])
def test_each_view_holds_exactly_the_controls_the_checker_says(page, app_class):
    vocabulary, app = VOCABULARIES[page], app_class()
    for view, attribute in vocabulary.views.items():
        found = controlled(getattr(app, attribute), set(vocabulary.settings))
        assert found == set(vocabulary.controls.get(view, ())), view
