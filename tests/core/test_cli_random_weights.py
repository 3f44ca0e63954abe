"""The CLI trains on random weights only when asked in so many words (--random-weights), with a warning."""
from __future__ import annotations

import pytest

from rmadapter_app.cli import main


def test_train_on_a_config_alone_needs_the_explicit_flag(tmp_path, tiny_config, image_tree, capsys):
    out = tmp_path / "r.rmadapter.safetensors"
    args = ["train", str(image_tree), "--out", str(out), "--model-config", str(tiny_config), "--epochs", "1"]
    with pytest.raises(SystemExit) as info:
        main(args)
    assert "no weights given" in str(info.value) and "--random-weights" in str(info.value)
    assert not out.exists()
    assert main(args + ["--random-weights"]) == 0 and out.is_file()
    assert "randomly initialised" in capsys.readouterr().err            # the warning is still said
