"""Registration of the subcommands that live outside the core tracking CLI."""

from __future__ import annotations

from typing import Any


def register(sub: Any, cmd: Any, range_options: Any) -> None:
    """Add proof, evidence and GUI subcommands (filled in by their modules)."""
