"""Training: data from folders, the feature cache, losses, the training loop and its metrics."""
