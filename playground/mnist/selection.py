"""The selected digit every view shows: a test digit (with its index and label) or the student's drawing."""

import numpy as np
import param


class Selection(param.Parameterized):
    """What is selected; views watch `image`. A drawing has index -1 and no label."""

    image = param.Array(default=np.zeros((1, 28, 28)), doc="The digit, (1, size, size) in [0, 1].")
    index = param.Integer(default=0, doc="Its index among the test digits, -1 for a drawing.")
    label = param.Integer(default=None, allow_None=True, doc="Its true digit, None for a drawing.")

    def pick_test_digit(self, x_test: np.ndarray, y_test: np.ndarray, index: int) -> None:
        self.param.update(image=x_test[index], index=int(index), label=int(y_test[index]))

    def use_drawing(self, image: np.ndarray) -> None:
        self.param.update(image=image, index=-1, label=None)

    def clear_drawing(self) -> None:
        """The pad was cleared: a selected drawing becomes an empty one (a selected test digit stays)."""
        if self.index < 0:
            self.use_drawing(np.zeros_like(self.image))

    @property
    def blank(self) -> bool:
        """Whether an empty drawing is selected: nothing for the network to classify."""
        return self.index < 0 and not self.image.any()

    def describe(self) -> str:
        if self.index < 0:
            return "your drawing" if self.image.any() else "an empty drawing"
        return f"test digit #{self.index} (a {self.label})"
