"""Prompts read as English: "an apple", "a unicorn", "an hour", "the Eiffel Tower"; folder names become class names."""
from __future__ import annotations

import pytest

from rmadapter_app.core.naming import DEFAULT_TEMPLATE, class_name_from_folder, fill_template


@pytest.mark.parametrize("name,prompt", [
    ("apple", "a photo of an apple."), ("dog", "a photo of a dog."), ("owl", "a photo of an owl."),
    ("unicorn", "a photo of a unicorn."), ("umbrella", "a photo of an umbrella."), ("hour glass", "a photo of an hour glass."),
    ("European robin", "a photo of a European robin."), ("one-way sign", "a photo of a one-way sign."),
    ("the Eiffel Tower", "a photo of the Eiffel Tower."), ("an old barn", "a photo of an old barn."),
    ("MRI scan", "a photo of an MRI scan."), ("USB stick", "a photo of a USB stick."),
    ("  snow   leopard ", "a photo of a snow leopard."), ("Ibis", "a photo of an Ibis."),
])
def test_the_default_prompt_reads_as_english(name, prompt):
    assert fill_template(DEFAULT_TEMPLATE, name) == prompt


def test_other_templates_are_filled_as_they_are():
    assert fill_template("{}", "apple") == "apple"
    assert fill_template("a satellite photo of {}.", "apple") == "a satellite photo of apple."
    assert fill_template("A {} in the wild.", "elephant") == "An elephant in the wild."
    assert fill_template("no field", "apple") == "no field"


def test_folder_names_become_class_names():
    assert class_name_from_folder("golden_retriever") == "golden retriever"
    assert class_name_from_folder("  two__spaces ") == "two spaces"
    assert class_name_from_folder("___") == "___"
