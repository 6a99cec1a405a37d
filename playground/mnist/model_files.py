"""The MNIST lab's side of its model files (the files themselves: core/model_files.py): the digits a notebook embeds,
a sample of the lab's own; the notebook gets the full MNIST from torchvision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nn_core.datasets.mnist import mnist_images
from playground.core.site_data import mnist_data

if TYPE_CHECKING:
    from nn_core.export_notebook import Digits

NOTEBOOK_DIGITS = 256  # training digits and test digits a notebook embeds: about 110 kB, and it runs offline
NOTEBOOK_EPOCHS = 3  # what the notebook trains at first: seconds on the sample, a few minutes on the full MNIST


def sample_digits(size: int) -> Digits:
    """The first NOTEBOOK_DIGITS training and test digits of the lab's small MNIST, for a model reading them at
    `size` (28, or 14: means of 2x2 blocks)."""
    from nn_core.export_notebook import Digits

    count = NOTEBOOK_DIGITS
    (train, train_labels), (test, test_labels) = (mnist_images(split, mnist_data()) for split in ("train", "test"))
    about = (
        f"A sample of the MNIST lab's digits: the first {count} training and {count} test digits of its 10,000 "
        f"(28x28 pixels, 0 to 255; the model reads them {size}x{size}). The full MNIST has 60,000 training and "
        "10,000 test digits: the cell under *The full MNIST (download)* loads it with torchvision when you switch it "
        "on."
    )
    return Digits(train[:count], train_labels[:count], test[:count], test_labels[:count], size, about)
