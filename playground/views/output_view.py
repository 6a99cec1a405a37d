"""The output column: the decision map with the data points, the discretize and test-data toggles, the losses."""

import panel as pn
from bokeh.models import ColumnDataSource, Range1d

from .. import output
from ..heatmaps import OUTPUT_RESOLUTION, VIEW, output_image
from .access import setting_widget
from .styling import bare_figure, html

SIZE = 300


class OutputView(pn.viewable.Viewer):
    """Decision map, points and loss curves of a Session, redrawn in place by `refresh()`."""

    def __init__(self, session, **params):
        super().__init__(**params)
        self.session, state = session, session.state
        self.image = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []})
        self.points = ColumnDataSource({key: [] for key in ("x1", "x2", "color", "label", "split", "line")})
        self.curves = ColumnDataSource(output.loss_curves(session.view))

        self.map = bare_figure(SIZE, SIZE, Range1d(*VIEW), Range1d(*VIEW))
        self.map.axis.visible = True
        self.map.axis.major_label_text_font_size = "10px"
        self.map.axis.ticker.desired_num_ticks = 7
        self.map.image_rgba(image="image", x="x", y="y", dw="dw", dh="dh", source=self.image)
        self.map.scatter("x1", "x2", fill_color="color", line_color="line", size=6, line_width=1, source=self.points)

        self.loss_plot = bare_figure(SIZE, 110, Range1d(0, 1), Range1d(0, 0.6))
        self.loss_plot.line("step", "test", source=self.curves, color="#222222", line_width=2, legend_label="test")
        self.loss_plot.line("step", "train", source=self.curves, color="#9a9a9a", line_width=2, legend_label="train")
        self.loss_plot.legend.location = "top_right"
        self.loss_plot.legend.label_text_font_size = "10px"
        self.loss_plot.legend.background_fill_alpha = 0.6
        self.loss_plot.legend.padding = 2

        self.numbers = html(sizing_mode="stretch_width", margin=(0, 5))
        self.toggles = pn.Row(
            setting_widget(pn.widgets.Checkbox, state.param.show_test_data, name="Show test data"),
            setting_widget(pn.widgets.Checkbox, state.param.discretize, name="Discretize output"),
        )
        state.param.watch(lambda event: self.refresh(), ["show_test_data", "discretize"])
        self.refresh()

    def refresh(self):
        """Redraws everything from the session's model, data and view."""
        session = self.session
        with pn.io.hold():
            if session.view.status != "error":
                self.image.data = {
                    "image": [output_image(session.model, session.state, OUTPUT_RESOLUTION)],
                    "x": [VIEW[0]],
                    "y": [VIEW[0]],
                    "dw": [VIEW[1] - VIEW[0]],
                    "dh": [VIEW[1] - VIEW[0]],
                }
                shown = output.points(session.data, session.state)
                shown["line"] = ["#ffffff" if split == "train" else "#111111" for split in shown["split"]]
                self.points.data = shown
            self.refresh_curves()

    def refresh_curves(self):
        view = self.session.view
        curves = output.loss_curves(view)
        self.curves.data = curves
        self.loss_plot.x_range.end = max(1, curves["step"][-1] if curves["step"] else 1)
        highest = max([*curves["train"], *curves["test"], 0.1])
        self.loss_plot.y_range.end = 1.05 * highest
        self.numbers.object = (
            f"<div class='pg-losses'>Test loss <b>{output.number(view.test_loss)}</b><br>"
            f"Training loss <b>{output.number(view.train_loss)}</b>"
            + (f"<br>Test accuracy <b>{100 * view.test_accuracy:.1f}%</b>" if view.test_accuracy is not None else "")
            + "</div>"
        )

    def __panel__(self):
        return pn.Column(
            html("<h3 class='pg-heading'>OUTPUT</h3>", margin=(0, 5)),
            self.numbers,
            pn.pane.Bokeh(self.loss_plot),
            pn.pane.Bokeh(self.map),
            self.toggles,
            width=SIZE + 20,
        )
