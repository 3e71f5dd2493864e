"""The package version (kept apart so that reading it imports nothing)."""

VERSION = "0.2.0"
