"""The student's own labelled points: add and remove them by clicking, import and export them as CSV."""

import csv
import io
import math
import numbers
import re

import numpy as np

from ..quoting import quoted
from .dataset import (
    CLASSIFICATION,
    MAX_POINTS,
    REGRESSION,
    VIEW_LIMIT,
    DataError,
    Dataset,
    check_integer,
    check_number,
    class_labels,
    label_dtype,
    split_dataset,
)

CSV_HEADER = ("x1", "x2", "label")
# 1 MB: MAX_POINTS rows of three numbers written in full (to_csv's repr, about 45 characters a row) take a quarter
# of it, so a spreadsheet's export with extra spaces fits; anything bigger is not a points file.
MAX_CSV_BYTES = 1_000_000
MAX_FIELD_CHARS = 100  # a number written in full takes at most 24 characters ("-1.2345678901234567e-308")
MAX_LINE_CHARS = 1_000  # three such fields with spaces and quotes; also keeps every field under csv's own limit


class PointSet:
    """Points in [-6, 6]^2 with labels in the Dataset conventions (-1/+1, 0..K-1, or float targets)."""

    def __init__(self, kind: str = CLASSIFICATION, n_classes: int = 2):
        if kind == CLASSIFICATION:
            check_integer("n_classes", n_classes, 2, 10)
        elif kind != REGRESSION:
            raise ValueError(f"kind must be {CLASSIFICATION!r} or {REGRESSION!r}, got {kind!r}")
        self.kind = kind
        self.n_classes = n_classes if kind == CLASSIFICATION else 0
        self._points: list[tuple[float, float]] = []
        self._labels: list[int | float] = []

    def __len__(self) -> int:
        return len(self._points)

    def add(self, x1: float, x2: float, label: float) -> None:
        """Append one point; raises ValueError for a point outside the view or a label the set cannot hold."""
        if len(self) >= MAX_POINTS:
            raise DataError(f"a point set holds at most {MAX_POINTS:,} points; remove some first")
        for name, value in (("x1", x1), ("x2", x2)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not abs(value) <= VIEW_LIMIT:
                raise ValueError(
                    f"{name} is {_show(value)}, outside [-6, 6]; scale the coordinates into that square "
                    "(for example multiply them by 6 / their largest absolute value)"
                )
        self._labels.append(self._checked_label(label))
        self._points.append((float(x1), float(x2)))

    def remove_nearest(self, x1: float, x2: float, radius: float) -> bool:
        """Remove the point nearest to (x1, x2) if it lies within radius; return whether one was removed."""
        check_number("radius", radius, 0, math.inf)
        if not self._points:
            return False
        distance = np.hypot(*(np.array(self._points) - (x1, x2)).T)
        nearest = int(np.argmin(distance))
        if distance[nearest] > radius:
            return False
        del self._points[nearest], self._labels[nearest]
        return True

    def to_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Points (n, 2) float64 and labels (n,) in the Dataset conventions."""
        x = np.array(self._points, dtype=np.float64).reshape(-1, 2)
        return x, np.array(self._labels, dtype=label_dtype(self.kind, self.n_classes))

    def to_dataset(self, train_percent: float = 50, seed: int = 0) -> Dataset:
        """Shuffle and split the points as the generated problems are; x (n, 2), y (n,)."""
        x, y = self.to_arrays()
        return split_dataset(x, y, self.kind, self.n_classes, train_percent, np.random.default_rng(seed))

    def to_csv(self) -> str:
        """The points as CSV text with the header x1,x2,label; repr() writes every float exactly."""
        lines = [",".join(CSV_HEADER)]
        lines += [f"{x1!r},{x2!r},{label!r}" for (x1, x2), label in zip(self._points, self._labels, strict=True)]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_csv(cls, text: str | bytes, kind: str = CLASSIFICATION, n_classes: int = 2) -> "PointSet":
        """A new set from CSV text with the header x1,x2,label; raises DataError naming the first bad row."""
        points = cls(kind, n_classes)
        for row_number, row in _read_rows(text):
            x1, x2, label = (
                _parse_number(value, name, row_number) for value, name in zip(row, CSV_HEADER, strict=True)
            )
            try:
                points.add(x1, x2, label)
            except ValueError as error:
                raise DataError(f"row {row_number}: {error}") from None
        return points

    def _checked_label(self, label: float) -> int | float:
        """label as this set stores it (int class label or float target), else a ValueError."""
        if self.kind == REGRESSION:
            if isinstance(label, bool) or not isinstance(label, numbers.Real) or not math.isfinite(label):
                raise ValueError(f"a regression target must be a finite number, got {_show(label)}")
            return float(label)
        allowed = class_labels(self.n_classes)
        if isinstance(label, bool) or label not in allowed:
            allowed_text = ", ".join(map(str, allowed))
            raise ValueError(
                f"label {_show(label)} is not a class of this {self.n_classes}-class set (use {allowed_text})"
            )
        return int(label)


def _show(value) -> str:
    """A number as a person would type it (3, not 3.0); anything else quoted."""
    return f"{value:g}" if isinstance(value, numbers.Real) else quoted(value)


def _read_rows(text: str | bytes) -> list[tuple[int, list[str]]]:
    """Data rows as (row number as a spreadsheet shows it, 3 stripped fields), after checking the size, the lines
    and the header."""
    if len(text) > MAX_CSV_BYTES:
        raise DataError(
            f"the file is {_megabytes(len(text))}; a points file may be at most {_megabytes(MAX_CSV_BYTES)} "
            f"({MAX_POINTS:,} points take about a quarter of that)"
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DataError(f"the file is not UTF-8 text ({error})") from None
    text = text.removeprefix("\ufeff")  # a spreadsheet's UTF-8 export may start with a byte-order mark
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise DataError(
                f"row {number} has {len(line):,} characters; a row of x1,x2,label needs at most {MAX_LINE_CHARS:,}"
            )
    try:
        numbered = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as error:
        raise DataError(f"the file is not CSV text the playground can read ({error})") from None
    rows = [(number, [field.strip() for field in row]) for number, row in numbered]
    rows = [(number, row) for number, row in rows if any(row)]  # skip blank lines, keep row numbers
    if not rows:
        raise DataError("the file is empty; it needs the header x1,x2,label and one row per point")
    header_number, header = rows[0]
    if tuple(field.lower() for field in header) != CSV_HEADER:
        raise DataError(f"row {header_number}: the header must be x1,x2,label, found {quoted(','.join(header))}")
    data = rows[1:]
    if not data:
        raise DataError("the file has the header but no points")
    if len(data) > MAX_POINTS:
        raise DataError(f"the file has {len(data):,} points; at most {MAX_POINTS:,} are allowed, remove some rows")
    for number, row in data:
        if len(row) != len(CSV_HEADER):
            raise DataError(f"row {number}: expected 3 values (x1, x2, label), found {len(row)}")
        for name, field in zip(CSV_HEADER, row, strict=True):
            if len(field) > MAX_FIELD_CHARS:
                raise DataError(
                    f"row {number}: {name} has {len(field):,} characters; a number needs at most {MAX_FIELD_CHARS}"
                )
    return data


def _megabytes(n_bytes: int) -> str:
    """A size in megabytes as a person reads it, rounded up so that a size over a limit never shows as the limit:
    "1 MB", "1.1 MB" (for 1,000,001 bytes), "10.5 MB"."""
    return f"{math.ceil(n_bytes / 100_000) / 10:,g} MB"


def _parse_number(value: str, name: str, row_number: int) -> float:
    """value as a finite float, else a DataError naming the row and column."""
    try:
        number = float(value)
    except ValueError:
        raise DataError(f"row {row_number}: {name} is {quoted(value)}, not a number") from None
    if not math.isfinite(number):
        raise DataError(f"row {row_number}: {name} is {quoted(value)}; values must be finite numbers")
    return number
