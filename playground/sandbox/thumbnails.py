"""Small pictures for buttons: SVGs of each dataset for the dataset picker, of each feature's heatmap for the
feature toggles (a PNG inside an SVG, since Bokeh button icons are SVG)."""

from nn_core.datasets import DATASETS, VIEW_LIMIT, make_dataset
from playground.core.palette import diverging_rgba, label_colors
from playground.core.png import png_uri
from playground.sandbox.heatmaps import feature_maps
from playground.sandbox.state import PlaygroundState

THUMBNAIL_POINTS = 120
FEATURE_RESOLUTION = 24


def dataset_svg(name: str, size: int = 40) -> str:
    """An SVG of `size` pixels square showing THUMBNAIL_POINTS points of dataset `name` in their label colours."""
    data = make_dataset(name, n_points=THUMBNAIL_POINTS, seed=0, train_percent=90)
    colors = label_colors(data.y, data.n_classes)
    scale = size / (2 * VIEW_LIMIT)
    dots = "".join(
        f'<circle cx="{(x1 + VIEW_LIMIT) * scale:.1f}" cy="{(VIEW_LIMIT - x2) * scale:.1f}" r="1.4" fill="{color}"/>'
        for (x1, x2), color in zip(data.x, colors, strict=True)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'aria-hidden="true"><rect width="{size}" height="{size}" fill="#f7f7f7"/>{dots}</svg>'
    )


def all_dataset_svgs(size: int = 40) -> dict[str, str]:
    """{dataset name: SVG} for every dataset."""
    return {name: dataset_svg(name, size) for name in DATASETS}


def feature_svgs(state: PlaygroundState, size: int = 30) -> dict[str, str]:
    """{feature name: SVG} of every feature's values over the view, on the diverging scale."""
    svgs = {}
    for node, values in feature_maps(FEATURE_RESOLUTION).items():
        svgs[node.removeprefix("in:")] = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" aria-hidden="true">'
            f'<image width="{size}" height="{size}" href="{png_uri(diverging_rgba(values))}"/></svg>'
        )
    return svgs
