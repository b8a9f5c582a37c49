"""Actions on a verdict: drop, quarantine (listen-only, hold, transfer), each idempotent."""

from callwarden.actions.base import ActionFailed, CallControl
from callwarden.actions.reasons import reason_text
from callwarden.actions.runner import ActionRunner

__all__ = ["ActionFailed", "ActionRunner", "CallControl", "reason_text"]
