"""hourproof — a time tracker that proves hours without surveillance.

The version is written once, in pyproject.toml; ``__version__`` reads the installed
distribution's metadata (on first use, so the hot CLI path does not pay for it).
"""

from __future__ import annotations


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hourproof")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'hourproof' has no attribute {name!r}")
