"""What a training page shows about its training, Panel-free: the status, the record the views read, and the
words and data attributes of the status line (`pg-status`), the same on every page."""

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Where training stands. A StrEnum: it equals its text ("running"), which the page's data-state shows."""

    LOADING = "loading"
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    DIVERGED = "diverged"
    ERROR = "error"


@dataclass
class TrainingRecord:
    """What the views show about training: status, counters, losses, their history and the weights."""

    status: Status = Status.LOADING
    message: str = ""  # a banner: what went wrong and what to try
    step: int = 0
    epoch: int = 0  # passes over the training points completed
    train_loss: float | None = None
    test_loss: float | None = None
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    # the curves: per point its step, epochs done (fractional: the sandbox's x axis), train and test loss
    history: dict = field(default_factory=lambda: {"step": [], "epoch": [], "train": [], "test": []})
    params: dict = field(default_factory=dict)  # copies of the model's parameters by dotted name
    grads: dict = field(default_factory=dict)  # copies of the gradients the last update used ({} before one)
    structure: int = 0  # incremented whenever the network's shape changes
    seconds_per_step: float = 0.0  # measured over the last tick


def number(value: float | None, digits: int = 3) -> str:
    """A loss or accuracy for display: fixed digits, or an en dash when there is none."""
    return "–" if value is None else f"{value:.{digits}f}"


def status_attributes(record: TrainingRecord) -> dict[str, str]:
    """The pg-status element's data attributes: what tests and the site read about training."""
    return {
        "data-state": str(record.status),
        "data-epoch": str(record.epoch),
        "data-step": str(record.step),
        "data-train-loss": number(record.train_loss, 6),
        "data-test-loss": number(record.test_loss, 6),
        "data-test-accuracy": number(record.test_accuracy, 4),
    }


def status_text(record: TrainingRecord) -> str:
    """The status line a student reads, e.g. "Running · epoch 12 · test loss 0.213 · test accuracy 91.2%"."""
    parts = [str(record.status).capitalize(), f"epoch {record.epoch}", f"step {record.step}"]
    parts.append(f"train loss {number(record.train_loss)}")
    parts.append(f"test loss {number(record.test_loss)}")
    if record.test_accuracy is not None:
        parts.append(f"test accuracy {100 * record.test_accuracy:.1f}%")
    return " · ".join(parts)
