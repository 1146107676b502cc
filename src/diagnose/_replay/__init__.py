"""Replay old tickets: read -> map -> count areas -> diagnose (cached) -> write -> report."""
