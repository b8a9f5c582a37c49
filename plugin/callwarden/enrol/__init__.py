"""Enrol."""
