"""The Project page's panels: the class list and the selected class's images (the page composes them)."""
