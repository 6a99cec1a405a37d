"""Build the project's own pure wheel for the site, byte for byte reproducible (fixed timestamps, sorted)."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Iterable
from pathlib import Path

import nn_core
from playground.core.site_data import SERVED

PROJECT = Path(__file__).resolve().parent.parent
# What runs in the browser; `web` (the builder itself) stays out.
PACKAGES = ("nn_core", "playground")
SERVED_FILES = {path.resolve() for path in SERVED.values()}  # the site serves these beside the pages instead
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
WHEEL_FILE = b"Wheel-Version: 1.0\nGenerator: nn-playground\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def _files(package: str) -> list[Path]:
    root = PROJECT / package
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix not in (".pyc", ".pyo")
        and p.resolve() not in SERVED_FILES
    )


def record(members: list[tuple[str, bytes]], record_name: str) -> bytes:
    """The RECORD file of a wheel holding `members` (name, bytes) and, last, RECORD itself (`record_name`)."""
    lines = []
    for name, data in members:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}\n")
    return ("".join(lines) + f"{record_name},,\n").encode()


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    """Write the members in the given order with fixed timestamps and modes: the same members, the same bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            zf.writestr(info, data)


def build_wheel(out_dir: Path, requires: list[str], extra_modules: Iterable[Path] = ()) -> Path:
    """Write nn_playground-VERSION-py3-none-any.whl into out_dir; `requires` become its Requires-Dist.

    extra_modules: single-file modules shipped at the top level too (a test's demo page).
    """
    version = nn_core.__version__
    dist_info = f"nn_playground-{version}.dist-info"
    extra = sorted(Path(m) for m in extra_modules)
    members: list[tuple[str, bytes]] = [
        (path.relative_to(PROJECT).as_posix(), path.read_bytes()) for pkg in PACKAGES for path in _files(pkg)
    ] + [(path.name, path.read_bytes()) for path in extra]
    metadata = "".join(
        [f"Metadata-Version: 2.1\nName: nn-playground\nVersion: {version}\nRequires-Python: >=3.11\n"]
        + [f"Requires-Dist: {r}\n" for r in requires]
    )
    members += [
        (f"{dist_info}/METADATA", metadata.encode()),
        (f"{dist_info}/WHEEL", WHEEL_FILE),
        (f"{dist_info}/top_level.txt", "".join(p + "\n" for p in [*PACKAGES, *(m.stem for m in extra)]).encode()),
    ]
    members.append((f"{dist_info}/RECORD", record(members, f"{dist_info}/RECORD")))
    wheel = out_dir / f"nn_playground-{version}-py3-none-any.whl"
    write_zip(wheel, members)
    return wheel
