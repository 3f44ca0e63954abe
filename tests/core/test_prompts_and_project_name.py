"""Prompts say "an apple" wherever they are built from the template; a project's name can change."""
from __future__ import annotations

import json

import pytest

from rmadapter_app.core.errors import ProjectError
from rmadapter_app.core.naming import DEFAULT_TEMPLATE, fill_template
from rmadapter_app.core.project.project import MAX_NAME, Project
from rmadapter_app.core.train.prepare import check_classes


def test_project_prompts_choose_a_or_an(tmp_path):
    p = Project.create("Fruit", tmp_path)
    for name in ("apple", "banana", "hour glass", "unicorn"):
        p.add_class(name)
    p.set_description("apple", "a red fruit")
    assert p.prompt_for("apple") == "a photo of an apple, a red fruit."
    assert p.prompt_for("banana") == "a photo of a banana."
    assert p.prompt_for("hour glass") == "a photo of an hour glass."
    assert p.prompt_for("unicorn") == "a photo of a unicorn."
    _, names, prompts = p.training_data()
    assert prompts[names.index("banana")] == "a photo of a banana."
    assert p.prompt_for("apple", "a satellite image of {}.") == "a satellite image of apple, a red fruit."
    assert p.prompt_for("apple", "a photo of a {0}.") == "a photo of a apple, a red fruit."   # numbered: as format


def test_training_and_classifier_prompts_use_the_same_rule():
    classes = check_classes([], ["apple", "pear"], None, DEFAULT_TEMPLATE)
    assert classes.prompts == ["a photo of an apple.", "a photo of a pear."]
    assert check_classes([], ["apple", "pear"], ["x", "y"], DEFAULT_TEMPLATE).prompts == ["x", "y"]   # given: kept
    assert fill_template("{0} in the wild", "owl") == "owl in the wild"


def test_zero_shot_classifier_prompts_say_an(tiny_backbone):
    from rmadapter_app.core.classifier import Classifier
    with Classifier(tiny_backbone, None, ["apple", "pear"]) as clf:
        assert clf.prompts == ["a photo of an apple.", "a photo of a pear."]
        clf.add_classes(["orange"])
        assert clf.prompts[-1] == "a photo of an orange."


def test_rename_project_keeps_the_folder(tmp_path):
    p = Project.create("Untitled", tmp_path)
    folder = p.folder
    assert p.rename("  Birds   of the garden ") == "Birds of the garden"
    assert p.folder == folder and folder.name == "Untitled"
    assert json.loads((folder / "project.json").read_text())["name"] == "Birds of the garden"
    assert Project.open(folder).name == "Birds of the garden"
    with pytest.raises(ProjectError, match="needs a name"):
        p.rename("   ")
    with pytest.raises(ProjectError, match="characters"):
        p.rename("x" * (MAX_NAME + 1))
    assert Project.open(folder).name == "Birds of the garden"
