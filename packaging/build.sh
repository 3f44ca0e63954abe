#!/usr/bin/env bash
# Build a standalone RMAdapter Studio folder with PyInstaller (into dist/RMAdapterStudio).
# Training runs in-process on a worker thread, so the frozen app trains like the source one.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q pyinstaller
python -m PyInstaller --noconfirm --clean packaging/pyinstaller/rmadapter.spec
echo "built: dist/RMAdapterStudio"
