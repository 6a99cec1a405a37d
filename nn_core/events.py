"""What the trainer reports to views: plain, immutable records of numbers, never live engine arrays."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StepEvent:
    """One applied update."""

    step: int  # updates applied so far, this one included
    epoch: int  # index of the epoch this batch came from, counted from 0
    epoch_end: bool  # whether this batch was the last of its epoch
    batch_loss: float  # loss of this batch before the update


@dataclass(frozen=True)
class DivergedEvent:
    """Training blew up after `step` updates (the next update failed and was not applied); `reason` says how."""

    step: int  # updates applied so far, as StepEvent and StoppedEvent count
    epoch: int  # epochs completed so far
    reason: str
    last_good_step: int | None = None  # the step Trainer.restore_last_good() goes back to


@dataclass(frozen=True)
class StoppedEvent:
    """A stop condition holds; `reason` is "max_steps", "max_epochs" or "target_loss"."""

    step: int
    epoch: int
    reason: str
