"""Run one copy/move or undo in a child process, so a test can kill it with SIGKILL at any point.

Usage: python _label_driver.py SPEC.json. The spec names the operation; progress goes to stdout one
line per file ("step N"), flushed, so the parent can kill after a chosen number of files, or at a
random moment. Works against the current API (label_write) and the 0.1 one (labeling), so the same
crash test can show the bug on old code.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    try:
        from rmadapter_app.core.label.write import apply_plan, undo
    except ImportError:                       # 0.1
        from rmadapter_app.core.label.plan import apply_plan, undo
    from rmadapter_app.core.label.plan import plan_labeling
    from rmadapter_app.core.prediction import Prediction

    delay = float(spec.get("delay", 0.0))

    def on_event(ev):
        print(f"step {getattr(ev, 'done', 0)}", flush=True)
        if delay:
            time.sleep(delay)

    if spec["op"] == "undo":
        result = undo(Path(spec["journal"]), on_event=on_event)
        print("result " + json.dumps({"restored": result.restored, "removed": result.removed,
                                      "left": len(result.left)}), flush=True)
        return
    results = [Prediction(Path(p), label, 0.9, [(label, 0.9)]) for p, label in spec["results"]]
    plan = plan_labeling(results, threshold=0.0, out_dir=Path(spec["out"]), mode=spec["op"],
                         source_roots=[Path(r) for r in spec["roots"]], keep_structure=spec.get("keep", False))
    journal = apply_plan(plan, on_event=on_event)
    print("journal " + str(journal.path), flush=True)


if __name__ == "__main__":
    main()
