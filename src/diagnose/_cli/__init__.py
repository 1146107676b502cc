"""The ``diagnose`` command line: check, session, replay and the listings."""

from .main import cli, main

__all__ = ["cli", "main"]
