"""The Label page's parts: results model, label delegate, histogram, worker jobs, panels, status texts.

The page itself is :class:`rmadapter_app.gui.label_view.LabelPage`.
"""
