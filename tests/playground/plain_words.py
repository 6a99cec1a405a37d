"""What a message for a student may not contain: words only Python speaks."""

import re

PYTHON_WORDS = re.compile(
    r"invalid literal|int\(\)|base 10|[Pp]arameter|valid options|Exceeds the limit|Traceback|Error\b|NoneType|"
    r"<class|str_digits|sys\.|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|pickle|ndarray|numpy|errno|<U[0-9]"
)
