"""Labeling folders: the engine, the embedding cache, the file plan, the crash-safe writer and journal, reports."""
