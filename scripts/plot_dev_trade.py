"""Plot candidates' dev trade: ``python scripts/plot_dev_trade.py SELECT.json... --out PNG``.

Each ``SELECT.json`` is one ``select_deepvoice.py --json`` table (one round); all must share
the baseline. The figure shows where each candidate lies on dev's two never-trained
proxies, the real voices and the TTS voices, against the baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from corpus.plots import plot_dev_trade  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tables", type=Path, nargs="+", help="select_deepvoice.py --json files")
    ap.add_argument("--labels", nargs="+", help="one per table (default: the file names)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    labels = args.labels or [t.stem for t in args.tables]
    if len(labels) != len(args.tables):
        raise SystemExit(f"{len(labels)} labels for {len(args.tables)} tables")
    rounds = {
        label: json.loads(t.read_text()) for label, t in zip(labels, args.tables, strict=True)
    }
    baselines = {json.dumps(r["baseline"], sort_keys=True) for r in rounds.values()}
    if len(baselines) != 1:
        raise SystemExit("the tables were made against different baselines: plot them apart")
    plot_dev_trade(rounds, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
