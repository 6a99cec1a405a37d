"""The student's own points: clicking them in and out, and CSV files in and out."""

import numpy as np
import pytest

from nn_core.datasets import CLASSIFICATION, REGRESSION, DataError, PointSet

HEADER = "x1,x2,label\n"


def test_add_and_remove_nearest_within_a_radius():
    points = PointSet(CLASSIFICATION, n_classes=2)
    for x1, x2, label in [(0, 0, 1), (1, 0, -1), (5, 5, 1)]:
        points.add(x1, x2, label)
    assert not points.remove_nearest(3, 3, radius=1)
    assert points.remove_nearest(0.9, 0.1, radius=0.5)
    x, y = points.to_arrays()
    assert x.tolist() == [[0, 0], [5, 5]] and y.tolist() == [1, 1] and y.dtype == np.float64
    assert not PointSet().remove_nearest(0, 0, radius=1)


def test_multiclass_labels_are_int_and_regression_targets_float():
    multiclass, regression = PointSet(CLASSIFICATION, n_classes=3), PointSet(REGRESSION)
    multiclass.add(1, 2, 2)
    regression.add(1, 2, -0.25)
    assert multiclass.to_arrays()[1].dtype == np.int64 and regression.to_arrays()[1].tolist() == [-0.25]
    assert PointSet().to_arrays()[0].shape == (0, 2)


@pytest.mark.parametrize(
    "kind, n_classes, point, message",
    [
        (CLASSIFICATION, 2, (6.5, 0, 1), r"x1 is 6.5, outside \[-6, 6\]; scale the coordinates"),
        (CLASSIFICATION, 2, (0, float("nan"), 1), "x2 is nan, outside"),
        (CLASSIFICATION, 2, (0, 0, 0), r"label 0 is not a class of this 2-class set \(use -1, 1\)"),
        (CLASSIFICATION, 3, (0, 0, 1.5), r"label 1.5 is not a class of this 3-class set \(use 0, 1, 2\)"),
        (REGRESSION, 0, (0, 0, float("inf")), "a regression target must be a finite number, got inf"),
    ],
)
def test_add_rejects_what_the_set_cannot_hold(kind, n_classes, point, message):
    points = PointSet(kind, n_classes)
    with pytest.raises(ValueError, match=message):
        points.add(*point)
    assert len(points) == 0


def test_point_set_becomes_a_split_dataset():
    points = PointSet(CLASSIFICATION, n_classes=3)
    for i in range(20):
        points.add(i / 4, -i / 4, i % 3)
    data = points.to_dataset(train_percent=30, seed=1)
    assert (data.n_classes, data.n_train, data.x.shape) == (3, 6, (20, 2))
    assert sorted(map(tuple, data.x)) == sorted(map(tuple, points.to_arrays()[0]))
    with pytest.raises(DataError, match="3 points with 10% for training leave the training or test set empty"):
        PointSet.from_csv(HEADER + "0,0,1\n1,1,-1\n2,2,1\n").to_dataset(train_percent=10)


@pytest.mark.parametrize("kind, n_classes", [(CLASSIFICATION, 2), (CLASSIFICATION, 5), (REGRESSION, 0)])
def test_csv_round_trip_is_exact(kind, n_classes):
    rng = np.random.default_rng(0)
    points = PointSet(kind, n_classes)
    for x1, x2 in rng.uniform(-6, 6, (50, 2)):
        label = rng.normal() if kind == REGRESSION else int(rng.choice([-1, 1] if n_classes == 2 else n_classes))
        points.add(x1, x2, label)
    text = points.to_csv()
    again = PointSet.from_csv(text, kind, n_classes)
    assert again.to_csv() == text
    for original, copy in zip(points.to_arrays(), again.to_arrays(), strict=True):
        assert np.array_equal(original, copy) and original.dtype == copy.dtype


def test_csv_reading_forgives_spaces_case_blank_lines_byte_order_mark_and_whole_floats():
    text = "\ufeffX1, x2 ,Label\n\n 1.5, -2 , 1.0\n,,\n-6,6,-1\n"
    points = PointSet.from_csv(text.encode("utf-8"))
    assert points.to_arrays()[0].tolist() == [[1.5, -2], [-6, 6]]
    assert points.to_arrays()[1].tolist() == [1, -1]


@pytest.mark.parametrize(
    "text, n_classes, message",
    [
        ("", 2, "the file is empty; it needs the header x1,x2,label"),
        ("\n\n", 2, "the file is empty"),
        (HEADER, 2, "the file has the header but no points"),
        ("x,y,class\n1,1,1\n", 2, "row 1: the header must be x1,x2,label, found 'x,y,class'"),
        ("1,1,1\n", 2, "row 1: the header must be x1,x2,label"),
        (HEADER + "1,1,1\n1,1\n", 2, r"row 3: expected 3 values \(x1, x2, label\), found 2"),
        (HEADER + "1,1,1,7\n", 2, "row 2: expected 3 values .* found 4"),
        (HEADER + "1,1,1\n\n1,abc,1\n", 2, "row 4: x2 is 'abc', not a number"),
        (HEADER + "1,,1\n", 2, "row 2: x2 is '', not a number"),
        (HEADER + "nan,1,1\n", 2, "row 2: x1 is 'nan'; values must be finite numbers"),
        (HEADER + "1,1,-inf\n", 2, "row 2: label is '-inf'; values must be finite numbers"),
        (HEADER + "1,1,0\n", 2, r"row 2: label 0 is not a class of this 2-class set \(use -1, 1\)"),
        (HEADER + "1,1,3\n", 3, r"row 2: label 3 is not a class of this 3-class set \(use 0, 1, 2\)"),
        (HEADER + "1,1,0.5\n", 3, "row 2: label 0.5 is not a class"),
        (HEADER + "7,1,1\n", 2, r"row 2: x1 is 7, outside \[-6, 6\]; scale the coordinates into that square"),
        (HEADER + "1,-6.01,1\n", 2, "row 2: x2 is -6.01, outside"),
        (
            HEADER + "1,1,1\n" * 5001,
            2,
            "the file has 5,001 points; at most 5,000 are allowed, remove some rows",
        ),
        (b"x1,x2,label\n\xff,1,1\n", 2, "the file is not UTF-8 text"),
    ],
)
def test_bad_csv_files_name_the_row_and_the_problem(text, n_classes, message):
    with pytest.raises(DataError, match=message):
        PointSet.from_csv(text, CLASSIFICATION, n_classes)


def test_regression_csv_takes_float_targets_and_rejects_non_numbers():
    points = PointSet.from_csv(HEADER + "1,2,0.125\n", REGRESSION)
    assert points.to_arrays()[1].tolist() == [0.125]
    with pytest.raises(DataError, match="row 2: label is 'high', not a number"):
        PointSet.from_csv(HEADER + "1,2,high\n", REGRESSION)


def test_a_full_set_refuses_more_points():
    points = PointSet.from_csv(HEADER + "1,1,1\n" * 5000)
    with pytest.raises(DataError, match="a point set holds at most 5,000 points; remove some first"):
        points.add(0, 0, 1)


@pytest.mark.parametrize(
    "text, message",
    [
        (b"", "^the file is empty; it needs the header x1,x2,label and one row per point$"),
        (b"\xef\xbb\xbf \n", "^the file is empty"),
        (HEADER + "1," + "9" * 10 * 2**20 + ",1\n", r"^the file is 10.5 MB; a points file may be at most 1 MB"),
        (
            HEADER + "1," + "9" * 5000 + ",1\n",
            r"^row 2 has 5,004 characters; a row of x1,x2,label needs at most 1,000$",
        ),
        (HEADER + "1," + "9" * 150 + ",1\n", r"^row 2: x2 has 150 characters; a number needs at most 100$"),
        (HEADER + '1,"' + "9\n" * 200 + '",1\n', r"^row 2: x2 has 399 characters"),
        ("a" * 500 + ",b,c\n", r"found 'a{59}…'$"),
    ],
)
def test_oversized_or_empty_csv_files_get_a_plain_message(text, message):
    with pytest.raises(DataError, match=message):
        PointSet.from_csv(text)


def test_a_csv_file_with_carriage_returns_only_is_read_line_by_line():
    text = HEADER.replace("\n", "\r") + "1,1,1\r" * 4000
    assert len(text) > 1000 and len(PointSet.from_csv(text)) == 4000
