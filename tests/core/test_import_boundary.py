"""The core and the CLI import and run without Qt (checked in a fresh interpreter)."""
from __future__ import annotations

import subprocess
import sys


def test_core_never_imports_qt():
    code = (
        "import sys\n"
        "import rmadapter_app.core.train.loop, rmadapter_app.core.classifier, rmadapter_app.core.model.adapter_file\n"
        "import rmadapter_app.core.model.backbone, rmadapter_app.core.model.weights, rmadapter_app.cli\n"
        "import importlib, pkgutil, rmadapter_app.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'rmadapter_app.core.'): importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'rmadapter_app.gui'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
