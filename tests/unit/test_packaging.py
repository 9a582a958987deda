"""Packaging files: the Flatpak generator's modules, the manifest's sandbox, the spec."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLATPAK = ROOT / "packaging" / "flatpak"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flatpak_generate", FLATPAK / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def offline_inputs(tmp_path: Path) -> tuple[Path, Path]:
    wheels = tmp_path / "wheels"
    files = {
        "x86_64": ["cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl",
                   "requests-2.32.3-py3-none-any.whl"],
        "aarch64": ["cryptography-44.0.0-cp39-abi3-manylinux_2_28_aarch64.whl",
                    "requests-2.32.3-py3-none-any.whl"],
    }  # fmt: skip
    for arch, names in files.items():
        (wheels / arch).mkdir(parents=True)
        for name in names:
            (wheels / arch / name).write_bytes(name.encode())  # stand-in content
    tarball = tmp_path / "git-2.47.1.tar.xz"
    tarball.write_bytes(b"not really git")
    return wheels, tarball


def test_requirements_leave_pyside_to_the_base_app() -> None:
    reqs = [r.lower() for r in generator().requirements()]
    assert not any(r.startswith(("pyside6", "shiboken6")) for r in reqs)
    assert any(r.startswith("cryptography") for r in reqs)
    assert any(r.startswith("setuptools") for r in reqs)


def test_offline_generation_pins_every_wheel(offline_inputs: tuple[Path, Path],
                                             tmp_path: Path) -> None:  # fmt: skip
    wheels, tarball = offline_inputs
    out = tmp_path / "tree"
    gen = generator()
    assert gen.main(["--wheels-from", str(wheels), "--git-tarball", str(tarball),
                     "--out", str(out)]) == 0  # fmt: skip
    module = json.loads((out / "python3-requirements.json").read_text())
    by_name = {Path(s["url"]).name: s for s in module["sources"]}
    assert len(by_name) == 3  # the pure wheel once, each compiled wheel for its arch
    pure = by_name["requests-2.32.3-py3-none-any.whl"]
    assert "only-arches" not in pure
    assert pure["url"] == ("https://files.pythonhosted.org/packages/py3/r/requests/"
                           "requests-2.32.3-py3-none-any.whl")  # fmt: skip
    arm = by_name["cryptography-44.0.0-cp39-abi3-manylinux_2_28_aarch64.whl"]
    assert arm["only-arches"] == ["aarch64"]
    assert arm["sha256"] == hashlib.sha256(Path(arm["url"]).name.encode()).hexdigest()
    assert "--no-index" in module["build-commands"][0]
    git = json.loads((out / "git.json").read_text())
    assert git["sources"][0]["sha256"] == hashlib.sha256(b"not really git").hexdigest()
    assert git["sources"][0]["url"].endswith("git-2.47.1.tar.xz")


def test_manifest_is_on_the_pyside_base_app_with_both_modules() -> None:
    text = (FLATPAK / "io.hourproof.Hourproof.yml").read_text()
    assert "base: io.qt.PySide.BaseApp" in text
    assert "runtime: org.kde.Platform" in text
    modules = re.findall(r"^  - (\S+\.json)$", text, re.MULTILINE)
    assert modules == ["git.json", "python3-requirements.json"]


def test_manifest_sandbox_grants_no_capture_devices() -> None:
    text = (FLATPAK / "io.hourproof.Hourproof.yml").read_text()
    granted = re.findall(r"^  - (--\S+)$", text, re.MULTILINE)
    assert "--share=network" in granted and "--filesystem=home" in granted
    for forbidden in ("--device=all", "--socket=pulseaudio", "--filesystem=host",
                      "--talk-name=org.freedesktop.portal.ScreenCast"):  # fmt: skip
        assert forbidden not in granted
    # The network grant is explained where it is made.
    assert "timestamp authorities" in text.split("--share=network")[0].rsplit("- --", 1)[-1]


def test_manifest_installs_files_that_exist() -> None:
    text = (FLATPAK / "io.hourproof.Hourproof.yml").read_text()
    for path in re.findall(r"install -Dm644 (resources/\S+)", text):
        assert (ROOT / path).is_file(), path
    assert (ROOT / "src/hourproof/resources/icons/io.hourproof.Hourproof-512.png").is_file()


def test_pyinstaller_spec_has_a_windowed_app_with_icons() -> None:
    text = (ROOT / "packaging" / "hourproof.spec").read_text()
    compile(text, "hourproof.spec", "exec")
    assert "console=False" in text and "console=True" in text
    assert 'copy_metadata("hourproof")' in text
    for icon in ("io.hourproof.Hourproof.ico", "io.hourproof.Hourproof.icns"):
        assert icon in text and (ROOT / "packaging" / "icons" / icon).is_file()
    assert (ROOT / "packaging" / "launch_app.py").is_file()
