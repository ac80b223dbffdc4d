"""Where the history store lives: --store PATH, then $CANDOR_STORE, then the user's data directory."""

import os
from pathlib import Path

ENV_VAR = "CANDOR_STORE"
FILE_NAME = "history.sqlite"


def default_store_path() -> Path:
    """The per-user default: <user data dir>/candor/history.sqlite."""
    import platformdirs  # only when no store is named: commands that merely offer --store do not pay for it

    return Path(platformdirs.user_data_dir("candor", appauthor=False)) / FILE_NAME


def resolve_store_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The store to use: the explicit path if given, else $CANDOR_STORE, else the default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_store_path()
