"""Which controls a student sees and may change, derived from the state's `hide` and `lock` lists.

Every control that changes a setting carries the CSS class `setting_class(name)`; `setting_widget` gives it
to widgets bound with `from_param`, and views add it to their own buttons and menus. `apply_access` walks a
layout once and hides or disables each control by the setting it changes, so no widget is wired by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import panel as pn

if TYPE_CHECKING:
    import param

PREFIX = "pg-setting-"


def setting_class(name: str) -> str:
    """The CSS class marking a control that changes setting `name`."""
    return PREFIX + name


def setting_widget(
    widget_type: type[pn.widgets.Widget], parameter: param.Parameter, **settings: Any
) -> pn.widgets.Widget:
    """`widget_type.from_param(parameter)`, marked as the control of that parameter."""
    return widget_type.from_param(parameter, css_classes=[setting_class(parameter.name)], **settings)


def controlled_setting(widget: pn.widgets.Widget) -> str | None:
    """The setting a widget changes, or None when it changes none."""
    return next((c.removeprefix(PREFIX) for c in widget.css_classes if c.startswith(PREFIX)), None)


def apply_access(layout: pn.viewable.Viewable, state: param.Parameterized) -> None:
    """Hides the controls of state.hide and disables those of state.lock, showing and enabling the others."""
    for widget in layout.select(pn.widgets.Widget):
        name = controlled_setting(widget)
        if name is not None:
            widget.visible = name not in state.hide
            widget.disabled = name in state.lock
