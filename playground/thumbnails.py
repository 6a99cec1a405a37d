"""Small SVG pictures of each dataset, for the dataset picker's buttons."""

from nn_core.datasets import DATASETS, VIEW_LIMIT, make_dataset

from .palette import label_colors

THUMBNAIL_POINTS = 120


def dataset_svg(name, size=40):
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


def all_dataset_svgs(size=40):
    """{dataset name: SVG} for every dataset."""
    return {name: dataset_svg(name, size) for name in DATASETS}
