"""Labeling never touches a file that is not ours: hostile journals, symlinks, odd names, spreadsheets."""
from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.fileio import csv_cell_value
from rmadapter_app.core.label.journal import JournalWriter, read_journal
from rmadapter_app.core.label.write import apply_plan, undo
from rmadapter_app.core.label.plan import plan_labeling
from rmadapter_app.core.prediction import Prediction


def _results(pairs):
    return [Prediction(Path(p), label, conf, [(label, conf)]) for p, label, conf in pairs]


def _tree(root: Path, n: int = 4) -> list[Path]:
    files = []
    for i in range(n):
        p = root / f"IMG_{i}.jpg"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(f"image {i} ".encode() * 50)
        files.append(p)
    return files


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def outside(tmp_path):
    """Files that no labeling run or undo may ever touch."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    for name in ("a.jpg", "b.jpg"):
        (folder / name).write_bytes(f"precious {name}".encode())
    (folder / "sub").mkdir()
    return folder


def _unchanged(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>") for p in folder.rglob("*")}


# ---------------------------------------------------------------------- journals that lie
def test_an_edited_journal_is_refused_and_touches_nothing(tmp_path, outside):
    src, out = tmp_path / "src", tmp_path / "out"
    files = _tree(src)
    journal = apply_plan(plan_labeling(_results([(f, "cat", 0.9) for f in files]), threshold=0, out_dir=out,
                                       mode="copy", source_roots=[src]))
    text = journal.path.read_text().replace(str(out / "cat" / "IMG_0.jpg"), str(outside / "a.jpg"))
    journal.path.write_text(text)
    before_out, before_outside = _unchanged(out), _unchanged(outside)
    with pytest.raises(RMAdapterError, match="changed after the run"):
        undo(journal.path)
    assert _unchanged(outside) == before_outside and _unchanged(out) == before_out


def test_a_journal_written_with_the_key_still_cannot_reach_outside(tmp_path, outside):
    """Even a journal that verifies (a bug of ours, or someone with the key) cannot act outside its folders."""
    src, out = tmp_path / "src", tmp_path / "out"
    files = _tree(src)
    out.mkdir()
    before = _unchanged(outside)
    path = out / "rmadapter-journal-forged.jsonl"
    with JournalWriter(path, create=True) as w:
        w.append({"t": "run", "v": 2, "run": "x" * 32, "mode": "move", "out": str(out), "sources": [str(outside)],
                  "created": "", "pid": 1, "threshold": 0.0})
        w.append({"t": "mkdir", "path": str(outside / "sub")})
        for i, victim in enumerate([outside / "a.jpg", outside / "b.jpg"]):
            st_ = os.stat(victim)
            ident = [st_.st_ino, st_.st_size, st_.st_mtime_ns]
            w.append({"t": "start", "i": i, "op": "copy", "src": str(files[i]), "dest": str(victim)})
            w.append({"t": "done", "i": i, "dest": str(victim), "id": ident, "sha256": _sha(victim)})
        w.append({"t": "end", "complete": True})
    result = undo(path)
    assert result.removed == 0 and result.restored == 0 and len(result.left) == 2
    assert all("outside the output folder" in why for _, why in result.left)
    assert _unchanged(outside) == before and all(f.exists() for f in files)


def _v1_journal(out: Path, entries: list[dict], dirs: list[str] = ()) -> Path:
    path = out / "rmadapter-journal-20250101-000000.json"
    path.write_text(json.dumps({"format_version": 1, "mode": "copy", "out_dir": str(out), "complete": True,
                                "undone": False, "dirs_created": list(dirs), "entries": entries}))
    return path


def test_old_journal_pointing_outside_deletes_and_moves_nothing(tmp_path, outside):
    """A 0.1 journal (no authentication) edited to point anywhere: undo stays inside its folders."""
    src, out = tmp_path / "src", tmp_path / "out"
    files = _tree(src)
    out.mkdir()
    before, src_before = _unchanged(outside), _unchanged(src)
    entries = []
    for victim in (outside / "a.jpg", outside / "b.jpg", files[0]):
        for op in ("copy", "move"):
            entries.append({"src": str(tmp_path / "nowhere" / victim.name), "dest": str(victim), "op": op,
                            "state": "done", "size": victim.stat().st_size, "sha256": _sha(victim)})
    path = _v1_journal(out, entries, dirs=[str(outside / "sub"), str(outside)])
    result = undo(path)
    assert result.removed == 0 and result.restored == 0
    assert _unchanged(outside) == before and _unchanged(src) == src_before


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                           max_leaves=20)


@given(data=st.data())
def test_fuzzed_old_journals_never_touch_outside_or_crash(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("fuzz")
    src, out = tmp / "src", tmp / "out"
    files = _tree(src, 2)
    out.mkdir()
    outside = tmp / "elsewhere"
    outside.mkdir()
    (outside / "a.jpg").write_bytes(b"precious")
    copy_in_out = out / "cat" / "IMG_0.jpg"
    copy_in_out.parent.mkdir()
    copy_in_out.write_bytes(files[0].read_bytes())
    paths = st.sampled_from([str(p) for p in (outside / "a.jpg", files[0], files[1], copy_in_out, outside,
                                              out, tmp / "missing.jpg", "relative.jpg", "")])
    entry = st.fixed_dictionaries({}, optional={
        "src": paths | json_values, "dest": paths | json_values, "op": st.sampled_from(["copy", "move", "x"]),
        "state": st.sampled_from(["done", "pending", "not done", 1]),
        "size": st.sampled_from([8, files[0].stat().st_size, -1, None, 10**30]),
        "sha256": st.sampled_from([_sha(files[0]), _sha(outside / "a.jpg"), "0" * 64, None, 7])})
    payload = data.draw(st.one_of(
        json_values,
        st.fixed_dictionaries({"format_version": st.sampled_from([1, 2, "1", None]),
                               "mode": st.sampled_from(["copy", "move", "none", 3]),
                               "entries": st.lists(entry | json_values, max_size=8),
                               "dirs_created": st.lists(paths | json_values, max_size=3) | json_values})))
    path = out / "rmadapter-journal-20250101-000000.json"
    path.write_text(json.dumps(payload))
    try:
        undo(path)
    except RMAdapterError:
        pass
    assert (outside / "a.jpg").read_bytes() == b"precious"
    assert all(f.exists() for f in files) and copy_in_out.exists()     # an original and its copy: never both gone


@given(cut=st.integers(min_value=0, max_value=10_000), flip=st.integers(min_value=0, max_value=10_000),
       byte=st.integers(min_value=0, max_value=255))
def test_damaged_journals_are_refused_in_one_sentence(tmp_path_factory, cut, flip, byte):
    tmp = tmp_path_factory.mktemp("dmg")
    src, out = tmp / "src", tmp / "out"
    files = _tree(src, 3)
    journal = apply_plan(plan_labeling(_results([(f, "cat", 0.9) for f in files]), threshold=0, out_dir=out,
                                       mode="move", source_roots=[src]))
    raw = bytearray(journal.path.read_bytes())
    flip %= len(raw)
    raw[flip] = byte
    journal.path.write_bytes(bytes(raw[: max(1, cut % (len(raw) + 1))]))
    try:
        result = undo(journal.path)
    except RMAdapterError as exc:
        assert "\n" not in str(exc)
    else:
        assert result.restored + len(result.left) <= 3
    moved = list((out / "cat").glob("*.jpg")) if (out / "cat").exists() else []
    assert len(moved) + sum(f.exists() for f in files) == 3        # every image is in exactly one place


# ---------------------------------------------------------------------- symlinks
def test_move_never_takes_files_through_a_symlinked_folder(tmp_path, outside):
    src, out = tmp_path / "src", tmp_path / "out"
    files = _tree(src, 2)
    os.symlink(outside, src / "linked")                    # src/linked -> a folder outside the source
    os.symlink(outside / "b.jpg", src / "link.jpg")        # a link to a file outside
    before = _unchanged(outside)
    res = _results([(files[0], "cat", 0.9), (src / "linked" / "a.jpg", "cat", 0.9), (src / "link.jpg", "cat", 0.9)])
    plan = plan_labeling(res, threshold=0, out_dir=out, mode="move", source_roots=[src])
    assert [e.action for e in plan.entries] == ["move", "skip", "skip"] and plan.n_links == 2
    journal = apply_plan(plan)
    assert journal.done == 1 and _unchanged(outside) == before
    assert os.path.islink(src / "linked") and os.path.islink(src / "link.jpg")


def test_copy_never_writes_through_a_symlinked_class_folder(tmp_path, outside):
    src, out = tmp_path / "src", tmp_path / "out"
    files = _tree(src, 2)
    out.mkdir()
    os.symlink(outside, out / "cat")                       # the output's class folder leads outside
    before = _unchanged(outside)
    journal = apply_plan(plan_labeling(_results([(f, "cat", 0.9) for f in files]), threshold=0, out_dir=out,
                                       mode="copy", source_roots=[src]))
    assert journal.done == 0 and len(journal.failed) == 2 and "symbolic link" in journal.failed[0][1]
    assert _unchanged(outside) == before


# ---------------------------------------------------------------------- files changed, temp files
def test_a_file_edited_between_labeling_and_the_move_is_undone(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    files = _tree(src, 2)
    stale = [Prediction(f, "cat", 0.9, [("cat", 0.9)], sha256=_sha(f)) for f in files]
    files[0].write_bytes(b"edited after labeling, before the move")
    journal = apply_plan(plan_labeling(stale, threshold=0, out_dir=out, mode="move", source_roots=[src]))
    result = undo(journal.path)
    assert result.restored == 2 and not result.left
    assert files[0].read_bytes() == b"edited after labeling, before the move"


def test_old_killed_copy_temp_files_are_removed_by_undo(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    files = _tree(src, 1)
    (out / "cat").mkdir(parents=True)
    tmp_file = out / "cat" / ".IMG_0.jpg.4242.rmadapter-tmp"
    tmp_file.write_bytes(b"half a copy")
    path = _v1_journal(out, [{"src": str(files[0]), "dest": str(out / "cat" / "IMG_0.jpg"), "op": "copy",
                              "state": "pending", "size": None, "sha256": None}])
    undo(path)
    assert not tmp_file.exists() and files[0].exists()


# ---------------------------------------------------------------------- names and reports
@pytest.mark.skipif(os.name == "nt" or os.uname().sysname == "Darwin", reason="needs arbitrary bytes in names")
def test_a_name_that_is_not_utf8_is_labeled_copied_and_reported(tmp_path, tiny_config, capsys):
    from PIL import Image

    from rmadapter_app.cli import main

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    odd = os.fsdecode(b"caf\xe9-\xff.png")                # Latin-1 bytes, as an old camera or zip writes them
    Image.new("RGB", (40, 40), (200, 30, 30)).save(src / odd)
    Image.new("RGB", (40, 40), (30, 30, 200)).save(src / "plain.png")
    csv_path, json_path = tmp_path / "r.csv", tmp_path / "r.json"
    code = main(["label", str(src), "--model-config", str(tiny_config), "--class", "red", "--class", "blue",
                 "--out", str(out), "--csv", str(csv_path), "--json", str(json_path)])
    assert code == 0, capsys.readouterr().err
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["labeled"] == 2 and summary["written"] == 2
    copied = [p for p in out.rglob("*.png") if os.fsencode(p.name) == b"caf\xe9-\xff.png"]
    assert len(copied) == 1 and copied[0].read_bytes() == (src / odd).read_bytes()
    rows = json.loads(json_path.read_text(encoding="utf-8"))["images"]
    assert {os.fsencode(Path(r["path"]).name) for r in rows} == {b"caf\xe9-\xff.png", b"plain.png"}
    with open(csv_path, encoding="utf-8", newline="") as fh:
        names = {Path(r["path"]).name for r in csv.DictReader(fh)}
    assert names == {"caf\\xe9-\\xff.png", "plain.png"}


def test_csv_reports_cannot_run_formulas(tmp_path, tiny_config, capsys):
    from PIL import Image

    from rmadapter_app.cli import main

    src = tmp_path / "src"
    src.mkdir()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(src / "=HYPERLINK(1).png")
    Image.new("RGB", (40, 40), (30, 30, 200)).save(src / "-2+3.png")
    report = tmp_path / "r.csv"
    assert main(["label", str(src), "--model-config", str(tiny_config), "--class", "=cmd|' /C calc'!A0",
                 "--class", "@SUM(1)", "--csv", str(report)]) == 0
    capsys.readouterr()
    with open(report, encoding="utf-8", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert not any(c[:1] in "=+-@\t\r" for c in cells if c)
    labels = {csv_cell_value(c) for c in cells}
    assert "=cmd|' /C calc'!A0" in labels or "@SUM(1)" in labels


def test_a_run_that_writes_nothing_it_was_asked_to_exits_non_zero(tmp_path, tiny_config, image_tree, capsys):
    from rmadapter_app.cli import main

    out = tmp_path / "out"
    out.mkdir()
    for name in ("red", "blue", "_uncertain"):
        (out / name).write_text("a file where a class folder should go")
    code = main(["label", str(image_tree / "red"), "--model-config", str(tiny_config), "--class", "red",
                 "--class", "blue", "--out", str(out)])
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["written"] == 0 and summary["failed"] == 8
    assert code != 0 and "could not be copied" in captured.err
