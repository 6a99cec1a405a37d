"""Inside the network for the selected digit: every layer's activation maps, the learned filters and first dense
weights, and which pixels matter (saliency and occlusion) with the predicted probabilities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from playground.core.status import Status
from playground.mnist.architecture import layer_label
from playground.mnist.attribution import class_scores, occlusion_map, saliency
from playground.mnist.filters import weight_images
from playground.mnist.mosaic import as_tiles, mosaic
from playground.mnist.representations import trace
from playground.mnist.views.images import ImagePlot
from playground.widgets.styling import html

if TYPE_CHECKING:
    from playground.mnist.selection import Selection
    from playground.mnist.session import MnistSession

MAX_WIDTH = 420  # pixels a layer's mosaic may take


def _columns(tiles):
    return 32 if tiles.shape[-1] == 1 else min(len(tiles), 8)


def _pixel(tiles, columns):
    return int(np.clip(MAX_WIDTH // (columns * (tiles.shape[-1] + 1)), 1, 10))


def _show_tiles(plot, tiles, columns):
    plot.pixel = _pixel(tiles, columns)
    plot.show(mosaic(tiles, columns)[0])


class ActivationMaps(pn.viewable.Viewer):
    """Every channel of every layer for the selected digit, a colour scale per layer (viridis, or orange-blue when
    the layer has negative outputs)."""

    def __init__(self, session: MnistSession, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.session, self.selection = session, selection
        self.column = pn.Column()
        self._plots, self._structure = [], None

    def refresh(self) -> None:
        model = self.session.model
        if model is None:
            self.column.objects = []
            return
        outputs = trace(model, self.selection.image)
        if self._structure != self.session.view.structure:
            self._structure = self.session.view.structure
            self._plots = [(ImagePlot("viridis"), ImagePlot("diverging")) for _ in outputs]
            rows = []
            for index, (entry, (plain, signed)) in enumerate(zip(self.session.state.layers, self._plots, strict=True)):
                if entry["type"] == "flatten":  # the layer before, reordered
                    continue
                heading = html(f"<div class='pg-sub'>{index} {layer_label(entry)}</div>", width=110)
                rows.append(pn.FlexBox(heading, plain.figure, signed.figure))  # wraps on a phone
            self.column.objects = rows
        for entry, output, (plain, signed) in zip(self.session.state.layers, outputs, self._plots, strict=True):
            if entry["type"] == "flatten":
                continue
            tiles = as_tiles(output.astype(np.float64))
            negative = bool((tiles < 0).any())
            plain.figure.visible, signed.figure.visible = not negative, negative
            _show_tiles(signed if negative else plain, tiles, _columns(tiles))

    def __panel__(self) -> pn.Column:
        heading = "<div class='pg-heading'>ACTIVATIONS OF THE SELECTED DIGIT, LAYER BY LAYER</div>"
        return pn.Column(html(heading), self.column)


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
        images = weight_images(self.session.model)
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
            width=260, height=150, y_range=(0, 1), toolbar_location=None, tools="", title="probabilities"
        )
        self.chart.vbar(x="digit", top="p", width=0.8, color="color", source=self.bars)
        self.chart.xaxis.ticker = list(range(10))
        self.caption = html()

    def refresh(self) -> None:
        image, model = self.selection.image, self.session.model
        self.digit.show(image[0], 0, 1)
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
