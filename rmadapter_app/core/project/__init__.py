"""Projects: the folder and its manifest, adding images, drops, undo, change events, the recent list."""
