"""The pages of the site: the contract with web/, which makes one page per entry.

`entry` is "module:function"; the function takes no arguments and returns the page's Panel viewable.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    slug: str  # the page's path on the site
    title: str
    summary: str  # one sentence for the index
    entry: str  # "module:function" returning the page's viewable


PAGES = (
    Page(
        "sandbox",
        "Sandbox",
        "Build a small network, train it on 2-D data and watch every neuron learn.",
        "playground.sandbox.app:create_app",
    ),
    Page(
        "mnist",
        "MNIST lab",
        "Build a CNN or MLP, train it live on real handwritten digits and see inside it.",
        "playground.mnist.app:create_app",
    ),
)
