"""Text from a user's file, quoted in a message so that a person can read it."""

import re

_UNPRINTABLE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def quoted(text: str, limit: int = 60) -> str:
    """'text' in single quotes, each run of invisible or control characters shown as one "�", cut to `limit`
    characters with "…": a message never shows Python's escapes (\\x00) nor a line too long to read."""
    text = re.sub(f"(?:{_UNPRINTABLE.pattern})+", "�", str(text))
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"
