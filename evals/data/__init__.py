"""Pinned benchmark files shipped with the package, checked against their sha256 on load."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """Path of a shipped file after checking its sha256 against manifest.json."""
    manifest = json.loads((DATA_DIR / "manifest.json").read_text())
    if name not in manifest:
        raise FileNotFoundError(f"{name!r} is not shipped in {DATA_DIR}; shipped: {sorted(manifest)}")
    path = DATA_DIR / name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != manifest[name]["sha256"]:
        raise ValueError(
            f"{path}: sha256 {digest} does not match the pinned {manifest[name]['sha256']}; "
            "the file was edited or corrupted: reinstall the package or restore it from git"
        )
    return path
