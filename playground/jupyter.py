"""The two training pages for Python: `sandbox(**settings)` and `mnist_lab(**settings)` (docs/jupyter.md).

Each returns the page itself, the object `panel serve` and the site show, which a notebook displays and code drives:
`.train(epochs=3)`, `.play()`, `.pause()`, `.model`, `.record`, `.summary`, `.state`. The settings are a page URL's
(`sandbox(dataset="spiral", hidden_layers=[4, 2])` is `sandbox.html?dataset=spiral&hidden_layers=4,2`), checked as a
link's are: a setting the page cannot use raises SettingsError with the page's words for it.

(Not `from playground import sandbox`: that name is the sandbox's package.) The pages are imported when first
called, so importing this module costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from playground.core.query import SettingsError

if TYPE_CHECKING:
    from playground.mnist.app import MnistLab
    from playground.sandbox.app import SandboxApp

__all__ = ["SettingsError", "mnist_lab", "sandbox"]


def sandbox(**settings: Any) -> SandboxApp:
    """The 2-D sandbox with these settings (playground/sandbox/state.py: `dataset`, `noise`, `hidden_layers`,
    `activation`, `learning_rate`, `batch_size`, `seed`...), the others at their defaults."""
    from playground.sandbox.app import SandboxApp

    return SandboxApp.from_settings(settings)


def mnist_lab(**settings: Any) -> MnistLab:
    """The MNIST lab with these settings (playground/mnist/state.py: `preset`, `layers`, `input_size`,
    `learning_rate`, `optimizer`, `batch_size`, `seed`), the others at their defaults."""
    from playground.mnist.app import MnistLab

    return MnistLab.from_settings(settings)
