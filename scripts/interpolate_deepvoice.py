"""Blend two deep-voice checkpoints: ``python scripts/interpolate_deepvoice.py A B ALPHA OUT``.

Writes ``(1 - ALPHA) * A + ALPHA * B``, parameter by parameter (WiSE-FT: a fine-tune ``B``
pulled back towards its parent ``A`` often keeps what the parent was good at and some of
what the fine-tune learnt). Both must come from the same line of training, so their
configs must match, except that a parent without the fine-tune's grafted group-delay
channel, long window or attentive pooling gets them at zero weight first
(``corpus.grafts.grafted``: the same function). The result costs nothing extra at run
time: it is one network.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "scripts"))

from callwarden.detectors.deep_voice import load_model  # noqa: E402
from corpus.grafts import grafted  # noqa: E402


def interpolate(a: Path, b: Path, alpha: float) -> dict[str, object]:
    """The blended checkpoint (config, state_dict, meta) of ``a`` and ``b``."""
    if not 0.0 <= alpha <= 1.0:
        raise SystemExit(f"ALPHA must be between 0 and 1, not {alpha}")
    second = load_model(b)
    c = second.config
    first = grafted(load_model(a), c.group_delay, c.attention, c.long_window)
    if first.config != second.config:
        raise SystemExit(f"{a} and {b} have different configs: not one line of training")
    sa, sb = first.state_dict(), second.state_dict()
    state = {k: torch.lerp(v, sb[k], alpha) if v.is_floating_point() else v for k, v in sa.items()}
    meta = {
        "command": f"python scripts/interpolate_deepvoice.py {a} {b} {alpha}",
        "parents": [_meta(a), _meta(b)],
    }
    return {"config": first.config.to_dict(), "state_dict": state, "meta": meta}


def _meta(path: Path) -> object:
    """A checkpoint's own record of how it was made (``None`` when it has none)."""
    return torch.load(path, map_location="cpu", weights_only=True).get("meta")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path, help="the parent checkpoint (ALPHA 0)")
    ap.add_argument("b", type=Path, help="the fine-tuned checkpoint (ALPHA 1)")
    ap.add_argument("alpha", type=float)
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    blob = interpolate(args.a, args.b, args.alpha)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(blob, args.out)
    print(f"saved {args.out} {json.dumps(blob['meta'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
