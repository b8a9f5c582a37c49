"""Append-only, hash-chained audit of every stage (no raw audio)."""

from callwarden.audit.log import AuditLog
from callwarden.audit.verify import VerifyReport, verify

__all__ = ["AuditLog", "VerifyReport", "verify"]
