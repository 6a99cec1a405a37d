"""TensorFlow Playground's URL vocabulary: every key of its state (`src/state.ts`) and the controls its links can hide
(`NAME_hide=true`, `HIDABLE_CONTROLS` in its `playground.ts`), and what each becomes here. `query.decode_query` reads
TFP's links with these tables; docs/tfp-compat.md has them as a table for people.
"""

# TFP's keys that name one of our settings differently. It shares the others' names: activation, dataset, discretize,
# noise, problem, regularization, seed.
TFP_KEYS = {
    "learningRate": "learning_rate",
    "regularizationRate": "regularization_rate",
    "batchSize": "batch_size",
    "percTrainData": "train_percent",
    "networkShape": "hidden_layers",
    "showTestData": "show_test_data",
}
# TFP's input features, each a boolean key (ours: the list `features`), in our order; on at TFP's start: x and y.
TFP_FEATURES = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY", "cosX", "cosY")
TFP_DEFAULT_FEATURES = ("x", "y")
# TFP's controls a link can hide -> the settings whose controls are hidden here (none: no equivalent).
TFP_HIDABLE = {
    "showTestData": ("show_test_data",),
    "discretize": ("discretize",),
    "playButton": (),
    "stepButton": (),
    "resetButton": (),
    "learningRate": ("learning_rate",),
    "activation": ("activation", "layer_activations"),  # ours also has a menu per layer
    "regularization": ("regularization",),
    "regularizationRate": ("regularization_rate",),
    "problem": ("problem",),
    "dataset": ("dataset",),
    "percTrainData": ("train_percent",),
    "noise": ("noise",),
    "batchSize": ("batch_size",),
    "numHiddenLayers": ("hidden_layers",),
}
HIDE_SUFFIX = "_hide"
# Read and dropped: TFP itself does nothing with collectStats; hideText hides TFP's article, which the page has not.
TFP_UNUSED = {"collectStats", "hideText"}
# No equivalent here: fine at TFP's default (every TFP link has initZero=false), named in a notice otherwise.
TFP_UNSUPPORTED = {"initZero": ("false", ""), "tutorial": ("",)}


def tfp_hidable(key: str) -> str | None:
    """The control `key` hides when it is TFP's `NAME_hide` for one of its hidable controls (NAME), else None."""
    name = key.removesuffix(HIDE_SUFFIX)
    return name if key.endswith(HIDE_SUFFIX) and name in TFP_HIDABLE else None


def tfp_settings(key: str) -> tuple[str, ...]:
    """Our settings for TensorFlow Playground's name `key`, a URL key or a hidable control, with or without `_hide`:
    ("learning_rate",) for learningRate, ("features",) for a feature, ("hidden_layers",) for numHiddenLayers; ()
    for a name of TFP's with no equivalent, or none of TFP's names."""
    name = tfp_hidable(key) or key
    if name in TFP_FEATURES:
        return ("features",)
    if name in TFP_KEYS or name == "regDataset":
        return (TFP_KEYS.get(name, "dataset"),)
    return TFP_HIDABLE.get(name, ())
