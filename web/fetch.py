"""Cached downloads from the package registries (npm, PyPI) and plain URLs, each checked by sha256."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path


class FetchError(RuntimeError):
    """A download failed or a file does not match its recorded sha256."""


def cache_dir() -> Path:
    """Where downloads are kept between runs (NN_PLAYGROUND_CACHE, else ~/.cache/nn-playground)."""
    root = os.environ.get("NN_PLAYGROUND_CACHE") or Path.home() / ".cache" / "nn-playground"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_sha256(path: Path, expected: str, what: str) -> None:
    """Raise FetchError naming `what` when the file's sha256 is not the expected one."""
    actual = sha256_of(path)
    if actual != expected:
        raise FetchError(
            f"{what}: sha256 mismatch for {path.name}\n  expected {expected}\n  got      {actual}\n"
            f"The file is corrupt or not the pinned one; delete {path} and build again."
        )


def run_tool(cmd: list[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> None:
    """Run a command, raising FetchError with the end of its stderr when it fails."""
    try:
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise FetchError(f"{what}: `{cmd[0]}` is not installed (run `make install`).") from None
    except subprocess.CalledProcessError as e:
        raise FetchError(f"{what}: `{' '.join(cmd)}` failed:\n{e.stderr.strip()[-2000:]}") from None


def cached_file(key: str, sha256: str | None, download) -> Path:
    """The file cached under `key`, downloaded once with `download(tmpdir) -> Path` (its name kept).

    With sha256 None (an unpinned source whose files are checked one by one later) any cached file counts.
    """
    folder = cache_dir() / key
    for existing in folder.glob("*") if folder.is_dir() else ():
        if sha256 is None or sha256_of(existing) == sha256:
            return existing
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        got = download(Path(tmp))
        if sha256 is not None:
            check_sha256(got, sha256, key)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / got.name
        os.replace(got, target)
    return target


def npm_pack(package: str, sha256: str) -> Path:
    """The tarball of an npm package (`name@version`), from the cache or the npm registry."""

    def download(tmp: Path) -> Path:
        run_tool(["npm", "pack", "--silent", package], tmp, f"npm package {package}")
        return next(tmp.glob("*.tgz"))

    return cached_file(f"npm/{package}", sha256, download)


def pip_download(requirement: str, sha256: str | None, pure: bool = True) -> Path:
    """A wheel `name==version` from the cache or PyPI (pure: py3-none-any for Pyodide's Python 3.12)."""

    def download(tmp: Path) -> Path:
        platform = ["--only-binary=:all:", "--platform", "any", "--python-version", "3.12"] if pure else []
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *platform, "-d", str(tmp)]
        run_tool([*cmd, requirement], tmp, f"PyPI package {requirement}")
        return next(tmp.glob("*.whl"))

    return cached_file(f"pypi/{requirement}", sha256, download)


def pip_sdist(requirement: str, sha256: str) -> Path:
    """The source distribution of `name==version`, from the cache or PyPI."""

    def download(tmp: Path) -> Path:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary=:all:", "-d", str(tmp)]
        run_tool([*cmd, requirement], tmp, f"PyPI sdist {requirement}")
        return next(tmp.glob("*.tar.gz"))

    return cached_file(f"sdist/{requirement}", sha256, download)


def url_download(url: str, dest: Path, timeout: float = 60) -> Path:
    """Download `url` to `dest` (no caching: the caller decides where the file lives)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(dest, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as e:
        raise FetchError(f"could not download {url}: {e}") from None
    return dest
