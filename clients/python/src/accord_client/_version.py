"""The package version (kept apart so that reading it imports nothing)."""

VERSION = "1.1.0"
