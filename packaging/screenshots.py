"""Screenshots of the main screens for the README, on the toy digits CLIP (offline).

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python packaging/screenshots.py [--dark] [--size 1024x700]

Builds a project of shifted handwritten digits (a few images per class plus one class added by
name only), trains on the real window through its own buttons' code paths, and grabs each page.
Settings, projects and caches go to a temporary RMADAPTER_HOME, never to the user's own.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def wait_until(app, predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--dark", action="store_true", help="force the dark palette (what a dark OS theme gets)")
    p.add_argument("--size", default="1280x800", help="window size WxH (the default window's; another size "
                   "adds '-W' to the file names, e.g. train-1024.png)")
    args = p.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="rmadapter-shots-"))
    os.environ["RMADAPTER_HOME"] = str(home)

    from PySide6.QtWidgets import QApplication

    from rmadapter_app.core.project.project import Project
    from rmadapter_app.gui.main_window import MainWindow
    from rmadapter_app.gui.state import BackboneSpec
    from rmadapter_app.testing import toyclip as toy

    cfg, weights = toy.ensure_toy_clip(log=print)
    images, labels = toy.digits_dataset()
    train_idx, test_idx = toy.toy_split()
    shifted = toy.shift_images(images, "mixed", seed=0)
    pool = home / "photos"
    keep = [i for i in train_idx if labels[i] < 5]
    per_class: dict[int, list[int]] = {}
    for i in keep:
        per_class.setdefault(int(labels[i]), []).append(i)
    chosen = [i for c in sorted(per_class) for i in per_class[c][:16]]
    toy.write_image_folder(pool, shifted[chosen], labels[chosen])
    tests = home / "to-sort"
    sel = [i for i in test_idx if labels[i] < 6][:120]
    toy.write_image_folder(tests, shifted[sel], labels[sel])

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from rmadapter_app.app import apply_theme, install_translators  # as the real app starts
    apply_theme(app)
    install_translators(app)
    from rmadapter_app.gui.gc_guard import collect_in_gui_thread
    collect_in_gui_thread()
    if args.dark:
        from rmadapter_app.app import _dark_palette
        app.setPalette(_dark_palette())
    win = MainWindow(restore_last=False)
    width, height = (int(v) for v in args.size.lower().split("x"))
    suffix = ("-dark" if args.dark else "") + ("" if (width, height) == (1280, 800) else f"-{width}")
    win.resize(width, height)
    project = Project.create("Handwritten digits", home / "projects")
    project.import_class_folders(pool)
    project.add_class("five")                               # by name only: zero-shot
    win.set_project(project)
    spec = BackboneSpec(model_name=toy.TOY_MODEL_NAME, pretrained=None, weights=weights, model_config=cfg)
    win.state.set_backbone_spec(spec)
    win.show()
    wait_until(app, lambda: False, 1.5)
    args.out.mkdir(parents=True, exist_ok=True)

    def shot(key: str, name: str, settle: float = 1.0) -> None:
        win.sidebar.setCurrentRow(list(win.pages).index(key))
        wait_until(app, lambda: False, settle)
        path = args.out / f"{name}{suffix}.png"
        win.grab().save(str(path))
        print(path)

    shot("project", "project")
    train = win.pages["train"]
    win.sidebar.setCurrentRow(list(win.pages).index("train"))
    if not train.start_training():
        print("training did not start", file=sys.stderr)
        return 1
    wait_until(app, lambda: not win.state.jobs.busy(), 600)
    wait_until(app, lambda: not train._probe_timer.isActive() and not train.probe.busy, 120)   # timings shown
    shot("train", "train")
    shot("results", "results")
    try_page = win.pages["try"]
    sample = sorted((tests / "five").glob("*.png"))[1]   # "five" was added by name: no image trained it
    try_page.add_class_names("seven, eight")
    try_page.classify_file(sample)
    wait_until(app, lambda: not win.state.jobs.busy(), 120)
    shot("try", "try", settle=1.5)
    label = win.pages["label"]
    win.sidebar.setCurrentRow(list(win.pages).index("label"))
    label.add_sources([tests])
    if label.start_labeling():
        wait_until(app, lambda: not win.state.jobs.busy(), 300)
    shot("label", "label", settle=2.0)
    win.close()
    from rmadapter_app.gui.backbone_probe import finish_before_exit
    finish_before_exit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
