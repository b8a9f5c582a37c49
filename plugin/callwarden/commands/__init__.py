"""Subcommands of the ``callwarden`` CLI; each module has ``register(subparsers)``."""
