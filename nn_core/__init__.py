"""nn_core: a small, readable neural-network engine in pure numpy, with explicit forward and backward passes."""

__version__ = "0.1.0"
