"""Shared looks of the playground's views: bare Bokeh figures, and HTML panes carrying the text styles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import panel as pn
from bokeh.plotting import figure

if TYPE_CHECKING:
    from bokeh.models import Range

# Each Panel pane renders in its own shadow root, so the styles travel with every pane that needs them.
TEXT_STYLES = """
.pg-heading { font: 600 13px/1.2 sans-serif; letter-spacing: .06em; color: #555; margin: 6px 0 2px; }
.pg-sub { font: 12px sans-serif; color: #666; margin-bottom: 4px; }  /* 5.4:1 on the panels' #f7f9fb */
.pg-col-label { font: 12px sans-serif; color: #555; text-align: center; padding-top: 30px; }
.pg-layer-label { font: 11px sans-serif; color: #555; text-align: center; }
.pg-counter { font: 12px sans-serif; color: #666; line-height: 1.15; }
.pg-counter b { display: block; font: 500 22px monospace; color: #222; }
.pg-losses { font: 13px sans-serif; color: #444; line-height: 1.5; }
.pg-swatch { display: inline-block; width: 14px; margin: 0 5px 4px 0; border-top: 3px solid; }
.pg-status { font: 13px sans-serif; color: #333; padding: 2px 0; }
.pg-diverged, .pg-error { color: #b00020; font-weight: 600; }
"""
# Picture buttons: the label may wrap to a second line beside its picture rather than be cut off.
SMALL_BUTTON = (
    ":host { --font-size: 11px; } .bk-btn { font-size: 11px; padding: 2px 4px; white-space: normal; "
    "line-height: 1.1; text-align: left; display: flex; align-items: center; gap: 3px; }"
)
# A primary button whose white label reads (6.6:1): Bokeh's own #428bca gives 3.6:1, below the 4.5 small text needs.
PRIMARY_BUTTON = (
    ".bk-btn-primary { background-color: #1f5f99; border-color: #1a5080; } "
    ".bk-btn-primary:hover { background-color: #1a5080; }"
)
# A Row whose items go on to a next line when the screen is too narrow for them side by side (Row never wraps).
WRAP_ROW = ":host { flex-wrap: wrap; row-gap: 6px; }"
# Panel gives a stretching Row or Column a min-width: the sum (Row) or the widest (Column) of its children's fixed
# widths, passed on up to the page's root, so nothing inside could wrap. These styles (inline, so they win) let a
# layout shrink to the screen and its rows wrap instead.
SHRINKS = {"min-width": "0"}


def grows_from(pixels: int) -> dict[str, str]:
    """The styles of a flexible item of a wrapping row (a FlexBox): at least `pixels` wide (or the whole screen on a
    narrower one), growing into the room the others leave; it wraps to a line of its own when `pixels` do not fit."""
    return {"flex": f"1 1 {pixels}px", "min-width": f"min({pixels}px, 100%)"}


# A widget label that screen readers still read (the accessible name) but that takes no room on screen.
HIDDEN_LABEL = (
    ".bk-input-group > label { position: absolute; width: 1px; height: 1px; overflow: hidden; "
    "clip-path: inset(50%); white-space: nowrap; } .bk-input { font-size: 11px; padding: 0 2px; }"
)


def html(text: str = "", stylesheets: Iterable[str] = (), **settings: Any) -> pn.pane.HTML:
    """An HTML pane that knows the playground's text classes (pg-heading, pg-sub, ...) and any `stylesheets`."""
    return pn.pane.HTML(text, stylesheets=[TEXT_STYLES, *stylesheets], **settings)


def bare_figure(
    width: int,
    height: int,
    x_range: Range | tuple[float, float],
    y_range: Range | tuple[float, float],
    **settings: Any,
) -> figure:
    """A figure without axes, grid, toolbar or border, for pictures rather than charts."""
    fig = figure(
        width=width,
        height=height,
        x_range=x_range,
        y_range=y_range,
        toolbar_location=None,
        tools="",
        min_border=0,
        outline_line_color=None,
        **settings,
    )
    fig.axis.visible = False
    fig.grid.visible = False
    fig.background_fill_color = None
    fig.border_fill_color = None
    return fig
