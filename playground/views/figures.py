"""Shared Bokeh figure settings for the playground's plots: bare frames, no toolbar, fixed ranges."""

from bokeh.plotting import figure


def bare_figure(width, height, x_range, y_range, **settings):
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
