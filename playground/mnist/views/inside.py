"""Inside the network for the selected digit: every layer's activation maps, the learned filters and first dense
weights, and which pixels matter (saliency and occlusion) with the predicted probabilities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from playground.core.status import Status
from playground.mnist.architecture import N_CLASSES, layer_titles
from playground.mnist.attribution import class_scores, occlusion_map, saliency
from playground.mnist.filters import weight_images
from playground.mnist.mosaic import as_tiles, map_layout, mosaic, tile_centres
from playground.mnist.representations import trace
from playground.mnist.views.images import ImagePlot
from playground.widgets.styling import html

if TYPE_CHECKING:
    from playground.mnist.selection import Selection
    from playground.mnist.session import MnistSession

MAX_WIDTH = 420  # pixels a layer's mosaic may take


def _pixel(tiles, columns):
    return int(np.clip(MAX_WIDTH // (columns * (tiles.shape[-1] + 1)), 1, 10))


def _show_tiles(plot, tiles, columns):
    plot.pixel = _pixel(tiles, columns)
    plot.show(mosaic(tiles, columns)[0])


def _show_maps(plots, tiles, last):
    """A layer's tiles at the scale every layer shares (`map_layout`), in one of `plots` (viridis, or orange-blue
    for negative outputs); the `last` layer's ten outputs labelled with their digits."""
    columns, pixel = map_layout(tiles, MAX_WIDTH)
    negative = bool((tiles < 0).any())
    plain, signed = plots
    plain.figure.visible, signed.figure.visible = not negative, negative
    plot = signed if negative else plain
    if last and len(tiles) == N_CLASSES:
        xs, ys = tile_centres(len(tiles), columns, 1)
        plot.label([str(k) for k in range(N_CLASSES)], xs, [y - 1.5 for y in ys], below=2 * pixel)
    plot.pixel = pixel
    plot.show(mosaic(tiles, columns)[0])


def _units(tiles):
    """What a row of activation maps holds, e.g. "8 channels of 26×26, channel 0 first" or "64 neurons"."""
    count, size = len(tiles), tiles.shape[-1]
    return f"{count} neurons" if size == 1 else f"{count} channels of {size}×{size}, channel 0 first"


class ActivationMaps(pn.viewable.Viewer):
    """The selected digit, then every channel of every layer for it, one scale for every layer's maps and a colour
    scale per layer (viridis, or orange-blue when the layer has negative outputs)."""

    def __init__(self, session: MnistSession, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.session, self.selection = session, selection
        self.digit = ImagePlot("grey", pixel=3)
        self.caption = html()
        self.column = pn.Column()
        self._plots, self._headings, self._structure = [], [], None

    def refresh(self) -> None:
        self.digit.show(self.selection.image[0], 0, 1)
        self.caption.object = f"<div class='pg-losses'>Selected: <b>{self.selection.describe()}</b></div>"
        model = self.session.model
        if model is None:
            self.column.objects = []
            return
        outputs = trace(model, self.selection.image)
        layers, titles = self.session.state.layers, layer_titles(self.session.state.layers)
        shown = [k for k, entry in enumerate(layers) if entry["type"] != "flatten"]  # flatten: the layer before
        if self._structure != self.session.view.structure:
            self._structure = self.session.view.structure
            self._plots = {k: (ImagePlot("viridis"), ImagePlot("diverging")) for k in shown}
            self._headings = {k: html(width=130) for k in shown}
            rows = [pn.FlexBox(self._headings[k], *(plot.figure for plot in self._plots[k])) for k in shown]
            self.column.objects = rows  # each row wraps on a phone
        for k in shown:
            tiles = as_tiles(outputs[k].astype(np.float64))
            self._headings[k].object = f"<div class='pg-sub'><b>{titles[k]}</b><br>{_units(tiles)}</div>"
            _show_maps(self._plots[k], tiles, last=k == len(layers) - 1)

    def __panel__(self) -> pn.Column:
        heading = "<div class='pg-heading'>ACTIVATIONS OF THE SELECTED DIGIT, LAYER BY LAYER</div>"
        return pn.Column(html(heading), pn.Row(self.digit.figure, self.caption), self.column)


class Filters(pn.viewable.Viewer):
    """Every convolution's kernels (a tile per filter and input channel) and the first dense layer's weights as
    images when it reads the pixels directly (an MLP); orange negative, blue positive."""

    def __init__(self, session: MnistSession, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.column = pn.Column()
        self._plots, self._structure = {}, None

    def refresh(self) -> None:
        if self.session.model is None:
            self.column.objects = []
            return
        images = weight_images(self.session.model, layer_titles(self.session.state.layers))
        if self._structure != self.session.view.structure:
            self._structure = self.session.view.structure
            self._plots = {title: ImagePlot("diverging") for title in images}
            self.column.objects = [
                pn.Column(html(f"<div class='pg-sub'>{title}</div>"), plot.figure)
                for title, plot in self._plots.items()
            ]
        for title, (tiles, columns) in images.items():
            _show_tiles(self._plots[title], tiles.astype(np.float64), min(columns, len(tiles)))

    def __panel__(self) -> pn.Column:
        return pn.Column(html("<div class='pg-heading'>LEARNED FILTERS AND WEIGHTS</div>"), self.column)


class Attribution(pn.viewable.Viewer):
    """The selected digit, the network's probabilities for it, and for its predicted class the saliency (gradient
    of the class score) and occlusion (score lost when a 4x4 patch is blacked out; coarser while training) maps."""

    def __init__(self, session: MnistSession, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.session, self.selection = session, selection
        self.digit = ImagePlot("grey", pixel=5, title="digit")
        self.saliency = ImagePlot("diverging", pixel=5, title="saliency")
        self.occlusion = ImagePlot("diverging", pixel=11, title="occlusion")
        self.bars = ColumnDataSource({"digit": list(range(10)), "p": [0.0] * 10, "color": ["#999999"] * 10})
        self.chart = figure(
            width=260, height=170, y_range=(0, 1), toolbar_location=None, tools="", title="probabilities",
            x_axis_label="digit", y_axis_label="probability",
        )  # fmt: skip
        self.chart.vbar(x="digit", top="p", width=0.8, color="color", source=self.bars)
        self.chart.xaxis.ticker = list(range(10))
        self.chart.axis.axis_label_text_font_style = "normal"
        self.caption = html()

    def refresh(self) -> None:
        image, model = self.selection.image, self.session.model
        self.digit.show(image[0], 0, 1)
        if self.selection.blank:  # the pad was cleared: nothing to predict until the student draws again
            self.bars.data = {"digit": list(range(10)), "p": [0.0] * 10, "color": ["#999999"] * 10}
            for plot in (self.saliency, self.occlusion):  # emptied, at their size
                plot.show(np.full(np.shape(plot.source.data["image"][0]), np.nan))
            self.caption.object = (
                "<div class='pg-losses'>Nothing drawn: draw a digit on the pad, or click one in another tab.</div>"
            )
            return
        if model is None:
            return
        scores = class_scores(model, image[np.newaxis])[0]
        probabilities = np.exp(scores - scores.max())
        probabilities /= probabilities.sum()
        predicted = int(probabilities.argmax())
        colors = ["#0877bd" if k == predicted else "#999999" for k in range(10)]
        self.bars.data = {"digit": list(range(10)), "p": probabilities.tolist(), "color": colors}
        self.saliency.show(saliency(model, image, predicted))
        running = self.session.view.status == Status.RUNNING
        self.occlusion.show(occlusion_map(model, image, predicted, coarse=running))
        coarse = " The occlusion map is coarser while training." if running else ""
        self.caption.object = (
            f"<div class='pg-losses'>{self.selection.describe()}: the network says <b>{predicted}</b> "
            f"({100 * probabilities[predicted]:.0f}%). Blue pixels raise its score, orange lower it.{coarse}</div>"
        )

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>WHAT THE NETWORK LOOKS AT</div>")
        return pn.Column(
            heading,
            self.caption,
            pn.FlexBox(self.digit.figure, self.chart),  # FlexBox: wraps on a phone
            pn.FlexBox(self.saliency.figure, self.occlusion.figure),
        )
