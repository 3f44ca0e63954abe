"""Reusable widgets of the desktop app (plots, confusion matrix, forms)."""
