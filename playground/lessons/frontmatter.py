"""A lesson file's parts: the YAML header between two `---` lines, loaded safely, with the line of every field.

`yaml.safe_load` builds the values (plain data only: no tags, no objects); a SafeLoader `compose` of the same
text gives each field's line and finds duplicate keys. Anchors and aliases are refused: they let a small file
expand into a huge structure.
"""

import json
from dataclasses import dataclass

import yaml


class HeaderError(ValueError):
    """The header cannot be read; `line` is the file's line (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Header:
    """The header's values, `lines[path]` the file line of each field (path: a tuple of keys and indexes)."""

    values: dict
    lines: dict
    duplicates: list  # (path, line) of keys given twice
    body: str
    body_line: int  # the file line the body starts on

    def line(self, *path: str | int) -> int:
        """The line of the field at `path`, else of its nearest enclosing field, else the header's first."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def split_lesson(text: str) -> Header:
    """The Header of a lesson's text; HeaderError when there is none or its YAML is not plain data."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise HeaderError("a lesson starts with a `---` line, then its YAML header, then another `---` line", 1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise HeaderError("the header never ends: add a `---` line after it", len(lines))
    yaml_text = "".join(lines[1:end])
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(yaml_text, Loader=yaml.SafeLoader)):
            raise HeaderError("anchors and aliases (& and *) are not allowed in a lesson header", 2)
        values = yaml.safe_load(yaml_text)
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        line = mark.line if mark else 0
        if reason == "mapping values are not allowed here":  # `text: Note: ...`
            reason += f"; {_quoting_advice(yaml_text.splitlines()[line])}"
        raise HeaderError(f"the header is not valid YAML: {reason}", 2 + line) from None
    if not isinstance(values, dict):
        raise HeaderError("the header must be `key: value` lines", 2)
    positions, duplicates = {}, []
    _walk(node, (), positions, duplicates)
    return Header(values, positions, duplicates, "".join(lines[end + 1 :]), end + 2)


def _quoting_advice(line):
    """How to quote the value of a YAML `line` that holds a second `: `."""
    key, _, value = line.strip().removeprefix("- ").partition(": ")
    example = f"{key}: {json.dumps(value.strip(), ensure_ascii=False)}" if value else 'text: "Note: ..."'
    return f"a value that contains `: ` must be quoted, e.g. {example}"


def _walk(node, path, positions, duplicates):
    """Records the file line of every key and list item below `node` (the YAML starts on file line 2)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            if child in positions:
                duplicates.append((child, key.start_mark.line + 2))
            positions[child] = key.start_mark.line + 2
            _walk(value, child, positions, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            positions[(*path, index)] = item.start_mark.line + 2
            _walk(item, (*path, index), positions, duplicates)
