"""The model: the frozen open_clip backbone, its weights, the RMAdapter modules, injection, encoders, adapter files."""
