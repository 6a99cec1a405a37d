"""The sandbox's settings as the lines of a lesson's header (docs/lessons.md): `setup`, every setting that differs
from its default, then `locked` and `hidden`. A lesson with these lines starts the sandbox in the same state."""

import yaml

from playground.core.query import changed_settings
from playground.sandbox.state import ACCESS, PlaygroundState


class _Dumper(yaml.SafeDumper):
    """Lists on one line, as the lesson docs write them (`hidden_layers: [4, 2]`); mappings a line per key."""

    def represent_list(self, data):
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(list, _Dumper.represent_list)


def lesson_setup(state: PlaygroundState) -> str:
    """The YAML of `state` as a lesson's `setup`, `locked` and `hidden` (the last two when there are any)."""
    header = {"setup": changed_settings(state, omit=[*ACCESS, "race"])}  # the Race view's: no lesson setting
    header |= {field: list(names) for field, names in (("locked", state.lock), ("hidden", state.hide)) if names}
    return yaml.dump(header, Dumper=_Dumper, default_flow_style=False, sort_keys=False)
