"""Run inside Pyodide (web/bytecode.py starts it on Node): rewrite wheels with their Python modules compiled
to bytecode by Pyodide's own CPython, so the browser imports them without compiling source.

    compile_wheels.py IN_DIR OUT_DIR [ONLY_JSON]   every IN_DIR/*.whl -> OUT_DIR/*.whl (same name)

ONLY_JSON maps a wheel's file name to the members to compile (web/startup_modules.py: what pages import at
start); its other modules stay source. A wheel it does not name is compiled whole. Each compiled `pkg/mod.py`
becomes a sourceless `pkg/mod.pyc` (unchecked-hash header, so no timestamp and no source is ever consulted);
a file that does not compile (a template named .py) stays as it is. Members are sorted with
fixed timestamps and RECORD is rewritten, so the same wheel and the same hash seed give the same bytes.
"""

import importlib.util
import json
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
from pathlib import Path

from web.project_wheel import record, write_zip

# Where Pyodide installs wheels: the file name tracebacks show for a compiled module.
SITE_PACKAGES = "/lib/python3.12/site-packages/"


def compiled(name: str, source: bytes) -> bytes | None:
    """The .pyc bytes of a module's source, or None when it is not valid Python 3.12."""
    try:
        code = compile(source, SITE_PACKAGES + name, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def compile_wheel(source: Path, target: Path, only: frozenset[str] | None = None) -> None:
    """Rewrite the wheel `source` as `target` with its modules compiled (only those in `only`, if given)."""
    members, record_name = {}, None
    with zipfile.ZipFile(source) as zin:
        for name in zin.namelist():
            data = zin.read(name)
            if name.endswith(".dist-info/RECORD"):
                record_name = name
            elif name.endswith("/"):
                continue
            elif name.endswith(".py") and ".dist-info/" not in name and (only is None or name in only):
                pyc = compiled(name, data)
                members[name + "c" if pyc is not None else name] = pyc if pyc is not None else data
            else:
                members[name] = data
    kept = sorted(members.items())
    write_zip(target, kept + [(record_name, record(kept, record_name))] if record_name else kept)


def main(in_dir: str, out_dir: str, only_json: str | None = None) -> None:
    only = json.loads(Path(only_json).read_text()) if only_json else {}
    for wheel in sorted(Path(in_dir).glob("*.whl")):
        members = only.get(wheel.name)
        compile_wheel(wheel, Path(out_dir) / wheel.name, None if members is None else frozenset(members))
        print(f"compiled {wheel.name}")


if __name__ == "__main__":
    main(*sys.argv[1:])
