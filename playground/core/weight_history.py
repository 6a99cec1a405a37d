"""Weight distributions per layer over epochs: mean, standard deviation and a histogram on fixed bins.

The MNIST lab and the 2-D playground both record one. Memory stays bounded: past MAX_RECORDS records every
other one is dropped (the first and the latest stay), so long runs keep evenly thinned snapshots.
"""

from dataclasses import dataclass, field

import numpy as np

from playground.core.names import parameter_title

BINS = 40
RANGE_STDS = 4  # a layer's bins span +-4 initial standard deviations; weights beyond go to the end bins
MAX_RECORDS = 100


def every_other(n: int) -> list[int]:
    """The indices a record of `n` entries keeps when it thins out: every other one, the first and the latest."""
    return sorted(set(range(0, n, 2)) | {n - 1})


@dataclass
class WeightHistory:
    """One run's record: per weight name ("0.W"), the bin edges and, per recorded epoch, mean, std and counts;
    `layer_titles` {model layer: title} name its layers for students (`title`)."""

    label: str
    layer_titles: dict = field(default_factory=dict)
    edges: dict = field(default_factory=dict)  # name -> (BINS + 1,) edges, fixed at the first record
    epochs: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)  # name -> list of (mean, std, counts (BINS,)), one per epoch

    def record(self, epoch: int, params: dict[str, np.ndarray]) -> None:
        """Adds the distributions of every weight matrix ("*.W") of params {name: array} for `epoch`."""
        if self.epochs and self.epochs[-1] == epoch:
            return
        self.epochs.append(epoch)
        for name, values in params.items():
            if not name.endswith(".W"):
                continue
            values = values.astype(np.float64).ravel()
            if name not in self.edges:
                half = RANGE_STDS * max(values.std(), 1e-6) + abs(values.mean())
                self.edges[name] = np.linspace(-half, half, BINS + 1)
            self.stats.setdefault(name, []).append((values.mean(), values.std(), histogram(values, self.edges[name])))
        if len(self.epochs) > MAX_RECORDS:
            self._thin()

    def forget_after(self, epoch: int) -> None:
        """Drops the records of epochs after `epoch` (training went back to it, e.g. after a Restore)."""
        kept = sum(recorded <= epoch for recorded in self.epochs)
        for name, records in list(self.stats.items()):
            first = len(self.epochs) - len(records)  # a weight recorded since a later epoch holds the tail
            self.stats[name] = records[: max(0, kept - first)]
            if not self.stats[name]:
                del self.stats[name]
        self.epochs = self.epochs[:kept]

    def title(self, name: str) -> str:
        """How the views name weight matrix `name`, e.g. "Layer 1 weights" for "0.W"."""
        return parameter_title(name, self.layer_titles)

    def _thin(self) -> None:
        """Keeps every other record, the first and the latest; a weight recorded since a later epoch keeps the
        same records of its own (its records are the tail of `epochs`)."""
        kept = set(every_other(len(self.epochs)))
        for name, records in self.stats.items():
            first = len(self.epochs) - len(records)
            self.stats[name] = [record for k, record in enumerate(records, first) if k in kept]
        self.epochs = [epoch for k, epoch in enumerate(self.epochs) if k in kept]

    def at(self, name: str, epoch: int) -> tuple[float, float, np.ndarray] | None:
        """(mean, std, counts) of weight `name` at the recorded epoch nearest to `epoch`, or None."""
        if name not in self.stats:
            return None
        return self.stats[name][self._nearest(name, epoch)]

    def nearest_epoch(self, name: str, epoch: int) -> int:
        """The recorded epoch of weight `name` nearest to `epoch` (the one `at` answers for)."""
        return self.epochs[-len(self.stats[name]) :][self._nearest(name, epoch)]

    def _nearest(self, name: str, epoch: int) -> int:
        return int(np.argmin(np.abs(np.array(self.epochs[-len(self.stats[name]) :]) - epoch)))


def histogram(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts of values in the bins between edges; values outside go to the first or last bin."""
    return np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)[0]
