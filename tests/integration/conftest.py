"""Integration tests: real SIP peers on 127.0.0.1; helpers live beside the tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
