"""The core and the CLI import and run without Qt (checked in a fresh interpreter)."""
from __future__ import annotations

import subprocess
import sys


def test_core_never_imports_qt():
    code = (
        "import sys\n"
        "import rmadapter_app.core.training, rmadapter_app.core.inference, rmadapter_app.core.adapter_file\n"
        "import rmadapter_app.core.backbone, rmadapter_app.core.weights, rmadapter_app.cli\n"
        "import importlib, pkgutil, rmadapter_app.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__): importlib.import_module('rmadapter_app.core.' + m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'rmadapter_app.gui'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
