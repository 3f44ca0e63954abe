"""The Qt-free engine of RMAdapter Studio.

Nothing under this package imports PySide6, pyqtgraph or ``rmadapter_app.gui``;
``tests/core/test_import_boundary.py`` checks that in a fresh interpreter.
"""
