"""Where hourproof keeps its state: one folder, private to the user (DESIGN §2).

Resolution order: ``--home DIR``, then ``HOURPROOF_HOME``, then
``platformdirs.user_data_dir("hourproof")``. Everything is created with umask 077.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_HOME = "HOURPROOF_HOME"


class HomeError(Exception):
    """The home folder cannot be created or used."""


@dataclass(frozen=True)
class Home:
    """Paths of the files inside one hourproof home folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "hourproof.db"

    @property
    def key_file(self) -> Path:
        return self.root / "signing_key"

    @property
    def public_key_file(self) -> Path:
        return self.root / "signing_key.pub"

    @property
    def signed_head(self) -> Path:
        """The newest signed checkpoint, kept outside the database (a rollback shows)."""
        return self.root / "signed.checkpoint"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def spool(self) -> Path:
        return self.root / "spool"

    @property
    def lock_file(self) -> Path:
        return self.root / "anchor.lock"

    def spool_pending(self) -> bool:
        """Whether the git post-commit hook left commits to ingest (a cheap directory peek)."""
        try:
            with os.scandir(self.spool) as it:
                return any(True for _ in it)
        except OSError:
            return False


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The home folder path, without creating it."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("hourproof", appauthor=False))


def prepare_home(path: Path) -> Home:
    """Create the folder (mode 0700, umask 077) and check it is usable."""
    os.umask(0o077)
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        (path / "spool").mkdir(exist_ok=True, mode=0o700)
    except OSError as exc:
        raise HomeError(f"cannot create home folder {path}: {exc.strerror or exc}") from exc
    if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        raise HomeError(f"home folder {path} is not readable and writable by you")
    return Home(path)
