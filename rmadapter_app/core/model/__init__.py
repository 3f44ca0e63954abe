"""The model: the frozen open_clip backbone (the spec naming it, a cache of loaded ones, its identity), its weights,
the RMAdapter modules, injection, encoders, adapter files."""
