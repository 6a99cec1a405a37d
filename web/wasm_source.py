"""Where the release's wasm packages come from: the official CDN, a local folder or archive, or a PyPI package.

A source only hands out bytes by file name; pyodide_dist checks each against the official lock.
"""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

from web.fetch import FetchError, cache_dir, pip_download, url_download
from web.pins import Pins

ARCHIVE_SUFFIXES = (".zip", ".whl", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


class PackageSource:
    """A place that may hold files of the Pyodide release, looked up by file name."""

    description: str

    def read(self, file_name: str) -> bytes | None:
        """The file's bytes, or None when the source does not have it."""
        raise NotImplementedError


class FolderSource(PackageSource):
    def __init__(self, folder: Path, description: str | None = None):
        self.folder = folder
        self.description = description or f"folder {folder}"

    def read(self, file_name: str) -> bytes | None:
        path = self.folder / file_name
        return path.read_bytes() if path.is_file() else None


class ArchiveSource(PackageSource):
    """A zip/wheel or tar archive; `prefix` is the folder inside it that holds the files."""

    def __init__(self, archive: Path, prefix: str = "", description: str | None = None):
        self.archive, self.prefix = archive, prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.description = description or f"archive {archive}" + (f"#{prefix}" if prefix else "")
        try:
            if zipfile.is_zipfile(archive):
                self._zip, self._tar = zipfile.ZipFile(archive), None
            else:
                self._zip, self._tar = None, tarfile.open(archive)
        except (OSError, tarfile.TarError) as e:
            raise FetchError(f"cannot open {self.description}: {e}") from None

    def read(self, file_name: str) -> bytes | None:
        member = self.prefix + file_name
        if self._zip is not None:
            return self._zip.read(member) if member in self._zip.NameToInfo else None
        try:
            extracted = self._tar.extractfile(member)
        except KeyError:
            return None
        return extracted.read() if extracted else None


class UrlSource(PackageSource):
    """A web folder such as the official CDN; files are downloaded once into the cache."""

    def __init__(self, base_url: str, version: str):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.description = f"URL {self.base_url}"
        self.cache = cache_dir() / "url" / version / self.base_url.split("://", 1)[-1].replace("/", "_")

    def read(self, file_name: str) -> bytes | None:
        path = self.cache / file_name
        if not path.is_file():
            self.cache.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(path.suffix + ".part")
            try:
                url_download(self.base_url + file_name, partial)
            except FetchError:
                return None
            partial.replace(path)
        return path.read_bytes()


def open_source(spec: str | None, pins: Pins) -> PackageSource:
    """Turn a `--packages-from` value into a source.

    spec: None (the pinned default), "cdn" (the official CDN), an http(s) URL, a folder, an archive
    (zip/whl/tar[.gz|.bz2|.xz]) optionally followed by "#folder/inside", or "pypi:NAME==VERSION#folder/inside".
    """
    spec = spec or pins.default_wasm_source
    location, _, prefix = spec.partition("#")
    if spec == "cdn":
        return UrlSource(pins.cdn_url, pins.pyodide_version)
    if spec.startswith(("http://", "https://")):
        return UrlSource(spec, pins.pyodide_version)
    if location.startswith("pypi:"):
        requirement = location.removeprefix("pypi:")
        pinned = pins.default_wasm_source_sha256 if spec == pins.default_wasm_source else None
        wheel = pip_download(requirement, pinned, pure=False)
        return ArchiveSource(wheel, prefix, description=f"PyPI package {requirement}")
    path = Path(location).expanduser()
    if path.is_dir():
        return FolderSource(path / prefix if prefix else path)
    if path.is_file() and path.name.endswith(ARCHIVE_SUFFIXES):
        return ArchiveSource(path, prefix)
    raise FetchError(
        f"--packages-from {spec!r}: no such folder or archive. Give 'cdn', an http(s) URL, a folder, "
        f"an archive (.zip/.whl/.tar.gz) optionally with '#folder/inside', or 'pypi:NAME==VERSION#folder'."
    )
