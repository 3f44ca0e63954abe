"""Names: a class name from a folder name, and the default prompt template. One rule each, used everywhere."""
from __future__ import annotations

DEFAULT_TEMPLATE = "a photo of a {}."


def class_name_from_folder(name: str) -> str:
    """Folder name to class name: underscores become spaces, runs of spaces one (CoOp's convention).

    A name made only of underscores and spaces stays as it is, so it still names a class.
    """
    return " ".join(str(name).replace("_", " ").split()) or str(name)


# Words that start with a vowel letter but a consonant sound ("a unicorn"), and the reverse ("an hour").
_CONSONANT_SOUND = ("uni", "use", "usu", "uti", "ure", "eu", "ewe", "one", "once", "ubiq", "uganda", "ukr", "ufo")
_VOWEL_SOUND = ("hour", "honest", "honor", "honour", "heir", "herb")
_ARTICLES = ("a ", "an ", "the ")


def article_for(word: str) -> str:
    """"a" or "an" before ``word`` in English, by its sound as far as spelling tells (acronyms: "an MRI")."""
    w = word.strip()
    lower = w.lower()
    if not lower:
        return "a"
    if lower.startswith(_VOWEL_SOUND):
        return "an"
    if lower.startswith(_CONSONANT_SOUND):
        return "a"
    first = w.split()[0]
    if len(first) > 1 and first.isupper() and first.isalpha():   # an acronym: read letter by letter
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if lower[0] in "aeiou" else "a"


def fill_template(template: str, name: str) -> str:
    """The prompt for class ``name``: ``template`` with ``{}`` filled, its "a" before the name made right.

    "a photo of a {}." gives "a photo of an apple.", "a photo of a unicorn.", and "a photo of the Eiffel
    Tower." for "the Eiffel Tower" (a name that brings its own article keeps it alone). Templates
    without "a {}" are filled as they are; one with numbered fields ("{0}") as ``str.format`` fills it.
    """
    name = " ".join(str(name).split())
    head, sep, tail = template.partition("{}")
    if not sep:                      # "{0}" fields are filled as str.format does; no field: as it is
        return template.format(name) if "{" in template else template
    words = head.rstrip().rsplit(" ", 1)
    if head.endswith(" ") and words[-1] in ("a", "an", "A", "An"):
        if name.lower().startswith(_ARTICLES):
            head = (words[0] + " " if len(words) > 1 else "")
        else:
            article = article_for(name)
            if words[-1][0].isupper():
                article = article.capitalize()
            head = (words[0] + " " if len(words) > 1 else "") + article + " "
    return head + name + tail
