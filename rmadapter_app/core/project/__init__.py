"""Projects: the folder and its manifest, adding images, undo, the recent list."""
