"""Assemble a self-hosted Pyodide distribution: the core from the npm package, the wasm packages a page
needs from a configurable source (each checked by sha256 against the release's official lock), and extra
pure wheels registered in the lock so one `loadPackage` pulls everything from the site itself.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from web.fetch import npm_pack
from web.pins import Pins, load_pins
from web.wasm_source import PackageSource, open_source


class DistError(RuntimeError):
    """The distribution cannot be assembled: a file is missing, does not verify, or a package is unknown."""


@dataclass(frozen=True)
class Release:
    """The npm package of a Pyodide release: its core files and the official lock."""

    tarball: Path
    lock: dict

    @classmethod
    def load(cls, pins: Pins) -> Release:
        tarball = npm_pack(pins.npm_package, pins.npm_sha256)
        with tarfile.open(tarball) as tar:
            lock = json.load(tar.extractfile("package/pyodide-lock.json"))
        if lock["info"]["version"] != pins.pyodide_version:
            raise DistError(f"{tarball.name} holds Pyodide {lock['info']['version']}, pins say {pins.pyodide_version}")
        return cls(tarball, lock)

    def extract_core(self, names: Iterable[str], out: Path) -> None:
        with tarfile.open(self.tarball) as tar:
            for name in names:
                (out / name).write_bytes(tar.extractfile(f"package/{name}").read())

    def closure(self, packages: Iterable[str]) -> list[str]:
        """The packages and everything they depend on, by lock name, sorted."""
        entries, seen, todo = self.lock["packages"], set(), list(packages)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            if name not in entries:
                raise DistError(f"package {name!r} is not part of Pyodide {self.lock['info']['version']}")
            seen.add(name)
            todo.extend(entries[name]["depends"])
        return sorted(seen)


def copy_verified(release: Release, packages: list[str], source: PackageSource, out: Path) -> dict:
    """Copy each package's file from the source into `out`, checked against the official sha256.

    Returns the lock entries of the copied packages; raises DistError naming every missing or altered file.
    """
    problems, entries = [], {}
    for name in packages:
        entry = release.lock["packages"][name]
        file_name = entry["file_name"]
        data = source.read(file_name)
        if data is None:
            problems.append(f"  {file_name}: missing from {source.description}")
            continue
        actual = hashlib.sha256(data).hexdigest()
        if actual != entry["sha256"]:
            problems.append(f"  {file_name}: sha256 mismatch (official lock {entry['sha256']}, got {actual})")
            continue
        (out / file_name).write_bytes(data)
        entries[name] = entry
    if problems:
        raise DistError(
            f"wasm packages from {source.description} failed verification against the official "
            f"pyodide-lock.json of Pyodide {release.lock['info']['version']}:\n"
            + "\n".join(problems)
            + "\nUse an untampered source (--packages-from), or delete the cached download and build again."
        )
    return entries


def assemble(
    out: Path,
    packages: Iterable[str],
    *,
    packages_from: str | None = None,
    extra_wheels: Iterable[Path] = (),
    dropped: Iterable[str] = (),
    cdn_url: str | None = None,
    pins: Pins | None = None,
) -> Path:
    """Write a Pyodide distribution into `out` (replaced) and return the path of its pyodide-lock.json.

    packages: names from the official lock (dependencies follow); extra_wheels: pure wheels to copy and
    register; dropped: their declared dependencies left out on purpose; cdn_url: leave the core and the
    release's packages on that CDN (the lock points at them there, the browser checks their sha256).
    """
    pins = pins or load_pins()
    release = Release.load(pins)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lock = dict(release.lock)
    if cdn_url is None:
        release.extract_core(pins.core_files, out)
        lock["packages"] = copy_verified(release, release.closure(packages), open_source(packages_from, pins), out)
    else:
        lock["packages"] = {
            name: {**release.lock["packages"][name], "file_name": cdn_url + release.lock["packages"][name]["file_name"]}
            for name in release.closure(packages)
        }
    lock_path = out / "pyodide-lock.json"
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True))
    wheels = [Path(shutil.copyfile(w, out / Path(w).name)) for w in extra_wheels]
    if wheels:
        register_wheels(lock_path, wheels, dropped=set(dropped))
    return lock_path


def register_wheels(lock_path: Path, wheels: list[Path], dropped: set[str] = frozenset()) -> None:
    """Add pure wheels (already next to the lock) to it, with their dependencies resolved by name.

    A dependency named in `dropped` is left out; any other dependency the lock lacks stops the build.
    """
    try:
        from pyodide_lock import PyodideLockSpec
        from pyodide_lock.utils import add_wheels_to_spec
    except ImportError:
        raise DistError("the site build needs the Pyodide lock tooling: pip install 'nn-playground[site]'") from None
    before = PyodideLockSpec.from_json(lock_path)
    spec = add_wheels_to_spec(before, wheels, base_path=lock_path.parent, ignore_missing_dependencies=True)
    missing = []
    for name in sorted(set(spec.packages) - set(before.packages)):
        package = spec.packages[name]
        package.depends = [d for d in package.depends if d not in dropped]
        missing += [f"  {name} needs {d}" for d in package.depends if d not in spec.packages]
    if missing:
        raise DistError(
            "pure wheels need packages the site does not ship:\n"
            + "\n".join(missing)
            + "\nAdd them to web/pins.toml ([site] packages, [site_wheels] or [site] dropped)."
        )
    spec.to_json(lock_path, indent=1)
