"""English plural forms for the app's "%n image(s)" messages (Qt's numerus translations).

    .venv/bin/pyside6-lupdate <gui sources> -ts resources/i18n/rmadapter_en.ts
    .venv/bin/python packaging/i18n_english.py      # fills the plural forms, writes the .qm

Only messages with %n get an English translation; every other string shows its source text.
The .qm goes to rmadapter_app/assets/i18n/, shipped with the package and always loaded first.
"""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "i18n" / "rmadapter_en.ts"
QM = ROOT / "rmadapter_app" / "assets" / "i18n" / "rmadapter_en.qm"
SINGULAR_VERBS = {" are ": " is ", " were ": " was "}


def forms(text: str) -> tuple[str, str]:
    text = text.replace("(es)", "\0")
    singular = text.replace("(s)", "").replace("\0", "")
    for plural_verb, singular_verb in SINGULAR_VERBS.items():
        singular = singular.replace(plural_verb, singular_verb)
    return singular, re.sub(r"\(s\)", "s", text).replace("\0", "es")


def main() -> int:
    tree = ET.parse(TS)
    filled = 0
    for message in tree.iter("message"):
        if message.get("numerus") != "yes":
            continue
        source = message.findtext("source") or ""
        translation = message.find("translation")
        for child in list(translation):
            translation.remove(child)
        translation.attrib.pop("type", None)
        translation.text = None
        for form in forms(source):
            ET.SubElement(translation, "numerusform").text = form
        filled += 1
    # self.tr() in a method a page inherits from a plain mix-in class (ProjectAdding) or a helper
    # that calls page.tr() looks the text up under the page's own class name at run time, while
    # lupdate files it under the mix-in or the variable name: put every plural message in every
    # context so each lookup finds it.
    numerus = [m for m in tree.iter("message") if m.get("numerus") == "yes"]
    contexts = list(tree.getroot().iter("context"))
    names = {c.findtext("name") for c in contexts}
    for extra in ("ProjectPage",):
        if extra not in names:
            ctx = ET.SubElement(tree.getroot(), "context")
            ET.SubElement(ctx, "name").text = extra
            contexts.append(ctx)
    for ctx in contexts:
        have = {m.findtext("source") for m in ctx.iter("message")}
        for m in numerus:
            if m.findtext("source") not in have:
                copy = ET.fromstring(ET.tostring(m))
                for loc in copy.findall("location"):
                    copy.remove(loc)
                ctx.append(copy)
    tree.getroot().set("language", "en")
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    QM.parent.mkdir(parents=True, exist_ok=True)
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(TS), "-qm", str(QM)], check=True)
    print(f"{filled} plural messages -> {QM}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
