"""Turn packaging/flatpak/ into a buildable Flatpak tree: the generated modules.

    python3 packaging/flatpak/generate.py [--arch x86_64 --arch aarch64] [--python 3.12]
                                          [--git-version 2.47.1]
    python3 packaging/flatpak/generate.py --wheels-from DIR --git-tarball FILE   # offline

Writes, next to io.hourproof.Hourproof.yml:

* python3-requirements.json — every runtime dependency from pyproject.toml except
  PySide6 (the io.qt.PySide.BaseApp base provides it), plus setuptools to build
  hourproof itself, as pinned wheel sources (sha256) with ``only-arches`` for
  compiled ones, installed offline with ``pip --no-index``. The wheels are resolved by
  ``pip download`` for each architecture and the runtime's Python; their URLs are
  PyPI's stable ``files.pythonhosted.org/packages/<python tag>/<initial>/<name>/<file>``
  form.
* git.json — git built from the kernel.org release tarball (sha256 computed here),
  without Tcl/Tk, Perl, Python, gettext or curl (hourproof only reads local repos).

It needs the network (PyPI, kernel.org) unless given ``--wheels-from`` and
``--git-tarball``; flatpak-builder then builds offline.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROVIDED_BY_BASE = ("pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6")
BUILD_ONLY = ("setuptools>=77",)
GIT_URL = "https://mirrors.edge.kernel.org/pub/software/scm/git/git-{v}.tar.xz"
_WHEEL = re.compile(
    r"^(?P<name>[^-]+)-(?P<ver>[^-]+)(-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$"
)


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    keep = []
    for req in project["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].strip().lower()
        if name not in PROVIDED_BY_BASE:
            keep.append(req)
    return [*keep, *BUILD_ONLY]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fp:
        for chunk in iter(lambda: fp.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download_wheels(reqs: list[str], arch: str, python: str, dest: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(dest),
         "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
         "--platform", f"manylinux2014_{arch}", "--platform", f"manylinux_2_28_{arch}",
         "--platform", f"manylinux_2_17_{arch}", *reqs],
        check=True,
    )  # fmt: skip


def wheel_url(filename: str) -> str:
    m = _WHEEL.match(filename)
    if not m:
        raise SystemExit(f"not a wheel file name: {filename}")
    name = m.group("name")
    python_tag = m.group("py")  # as PyPI lists it, e.g. "py2.py3" or "cp39"
    return f"https://files.pythonhosted.org/packages/{python_tag}/{name[0]}/{name}/{filename}"


def requirements_module(by_arch: dict[str, list[Path]]) -> dict[str, object]:
    """One module whose sources are every wheel, compiled ones limited to their arch."""
    sources: dict[str, dict[str, object]] = {}
    names: set[str] = set()
    for arch, wheels in sorted(by_arch.items()):
        for wheel in wheels:
            m = _WHEEL.match(wheel.name)
            if not m:
                continue
            names.add(m.group("name").replace("_", "-").lower())
            entry = sources.setdefault(wheel.name, {
                "type": "file", "url": wheel_url(wheel.name), "sha256": sha256(wheel),
            })  # fmt: skip
            if m.group("plat") != "any":
                arches = entry.setdefault("only-arches", [])
                assert isinstance(arches, list)
                if arch not in arches:
                    arches.append(arch)
    install = (
        'pip3 install --verbose --exists-action=i --no-index --find-links="file://${PWD}" '
        "--prefix=${FLATPAK_DEST} --no-build-isolation " + " ".join(sorted(names))
    )
    return {
        "name": "python3-requirements",
        "buildsystem": "simple",
        "build-commands": [install],
        "sources": [sources[k] for k in sorted(sources)],
    }


def git_module(tarball: Path, version: str, url: str) -> dict[str, object]:
    make = ("make -j${FLATPAK_BUILDER_N_JOBS} prefix=${FLATPAK_DEST} NO_TCLTK=YesPlease "
            "NO_GETTEXT=YesPlease NO_PERL=YesPlease NO_PYTHON=YesPlease NO_CURL=YesPlease "
            "NO_EXPAT=YesPlease INSTALL_SYMLINKS=YesPlease")  # fmt: skip
    return {
        "name": "git",
        "buildsystem": "simple",
        "build-commands": [make + " all", make + " install"],
        "cleanup": ["/share/gitweb", "/share/perl5", "/libexec/git-core/git-gui*"],
        "sources": [{"type": "archive", "url": url, "sha256": sha256(tarball)}],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", action="append", help="x86_64 and aarch64 by default")
    ap.add_argument("--python", default="3.12", help="the KDE 6.8 runtime's Python")
    ap.add_argument("--git-version", default="2.47.1")
    ap.add_argument(
        "--wheels-from",
        type=Path,
        metavar="DIR",
        help="use these wheels (DIR/<arch>/*.whl) instead of pip download",
    )
    ap.add_argument(
        "--git-tarball",
        type=Path,
        metavar="FILE",
        help="use this git-<version>.tar.xz instead of downloading it",
    )
    ap.add_argument("--out", type=Path, default=HERE, help="where the modules go")
    args = ap.parse_args(argv)
    arches = args.arch or ["x86_64", "aarch64"]
    reqs = requirements()
    with tempfile.TemporaryDirectory() as tmp:
        by_arch: dict[str, list[Path]] = {}
        for arch in arches:
            if args.wheels_from:
                folder = args.wheels_from / arch
            else:
                folder = Path(tmp) / arch
                folder.mkdir()
                download_wheels(reqs, arch, args.python, folder)
            by_arch[arch] = sorted(folder.glob("*.whl"))
            if not by_arch[arch]:
                raise SystemExit(f"no wheels for {arch} in {folder}")
        url = GIT_URL.format(v=args.git_version)
        tarball = args.git_tarball
        if tarball is None:
            tarball = Path(tmp) / f"git-{args.git_version}.tar.xz"
            with urllib.request.urlopen(url, timeout=120) as resp, tarball.open("wb") as fp:
                shutil.copyfileobj(resp, fp)
        args.out.mkdir(parents=True, exist_ok=True)
        modules = {
            "python3-requirements.json": requirements_module(by_arch),
            "git.json": git_module(tarball, args.git_version, url),
        }
        for name, module in modules.items():
            (args.out / name).write_text(json.dumps(module, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {', '.join(modules)} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
