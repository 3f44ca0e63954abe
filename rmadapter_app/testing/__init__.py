"""Offline test and benchmark helpers that ship with the package (no Qt, no network)."""
