"""Every neuron's output over a 2-D grid of input points, for the per-neuron heatmaps of the 2-D playground.

Grid convention: row i holds points with x2 = x2_values[i] (ascending, so row 0 is the bottom of a plot
whose y axis points up) and column j those with x1 = x1_values[j] (ascending).
"""

import numpy as np

from .trainer import evaluation_mode


def grid_points(x1_range, x2_range, nx, ny):
    """The grid's coordinates: x1 and x2, each (ny, nx), from `nx` values across x1_range and `ny` across x2_range."""
    return np.meshgrid(np.linspace(*x1_range, nx), np.linspace(*x2_range, ny))


def neuron_grids(model, features, x1_range=(-6.0, 6.0), x2_range=(-6.0, 6.0), nx=50, ny=50):
    """Each flat layer's output on the grid, as {layer index: (units, ny, nx)}, from one eval-mode forward pass.

    `features` maps the grid to the model's inputs: either a callable features(x1, x2) taking two (ny*nx,)
    arrays and returning (ny*nx, n_features), or that matrix already computed. Layers whose per-example
    output is not flat (convolutions, pooling) are left out.
    """
    if callable(features):
        x1, x2 = grid_points(x1_range, x2_range, nx, ny)
        features = features(x1.ravel(), x2.ravel())
    if features.shape[0] != nx * ny:
        raise ValueError(f"features has {features.shape[0]} rows, expected nx * ny = {nx * ny}")
    with evaluation_mode(model):
        outputs = model.forward_trace(features)
    # (ny*nx, units) -> (units, ny*nx) -> (units, ny, nx): one transpose per layer, no loop over neurons.
    return {index: output.T.reshape(-1, ny, nx) for index, output in enumerate(outputs) if output.ndim == 2}
