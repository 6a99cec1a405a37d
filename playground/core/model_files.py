"""The trained model as files a student takes away, the same on both pages: the .npz (spec and arrays; it loads
back), a Python file that needs only numpy, a PyTorch script and a Jupyter notebook that goes on training in PyTorch.

No Panel here (widgets/model_downloads.py offers them). The exporters are imported when a file is asked for, so a page
starts without them.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from nn_core.model import Sequential
from nn_core.saving import save_model

if TYPE_CHECKING:
    from nn_core.export_notebook import TrainingSetup

TORCH_MODULE = "model_torch"  # the PyTorch script's file name on the pages (model.py is the numpy one)
DEMO_INPUTS = 4  # inputs the PyTorch script runs its model on when run as a script


class ModelFiles:
    """The model files of a page's session, which supplies `model`, `training_setup()` (how it trains: data, loss,
    optimizer) and `demo_inputs()` (a few inputs for the PyTorch script's demo, and what they are in words)."""

    model: Sequential | None

    def training_setup(self) -> TrainingSetup:
        raise NotImplementedError

    def demo_inputs(self) -> tuple[np.ndarray, str]:
        raise NotImplementedError

    def model_npz(self) -> bytes:
        """The trained model as .npz bytes (spec and arrays, nn_core.saving)."""
        buffer = io.BytesIO()
        save_model(self.model, buffer)
        return buffer.getvalue()

    def model_python(self) -> str:
        """The trained model as a standalone Python file that needs only numpy (nn_core.export)."""
        from nn_core.export import export_python

        return export_python(self.model)

    def model_torch(self, module: str = TORCH_MODULE) -> str:
        """The trained model as a PyTorch script, `module`.py (nn_core.export_torch)."""
        from nn_core.export_torch import export_torch

        inputs, what = self.demo_inputs()
        if len(inputs):
            return export_torch(self.model, inputs[:DEMO_INPUTS], what, module=module)
        return export_torch(self.model, module=module)  # no test points: the script makes up inputs

    def model_notebook(self) -> str:
        """A Jupyter notebook that goes on training the model in PyTorch as the page does (nn_core.export_notebook)."""
        from nn_core.export_notebook import export_notebook

        return export_notebook(self.model, self.training_setup())
