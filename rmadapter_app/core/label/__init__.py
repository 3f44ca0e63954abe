"""Labeling folders: the engine, the embedding cache (and its chunk files), the file plan, the crash-safe writer and
journal, reports."""
