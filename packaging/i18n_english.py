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
RUNTIME_CONTEXT = {"page": "ProjectPage"}   # lupdate's name -> Qt's at run time (page.tr() in a helper)


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
    # self.tr() in a method a page inherits from a plain mix-in class, or page.tr() in a helper,
    # looks the text up under the page's own class name at run time, while lupdate files it under
    # the mix-in's (or the variable's) name: copy those messages to the context used at run time.
    root = tree.getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    for written_as, runtime in RUNTIME_CONTEXT.items():
        if written_as not in contexts:
            continue
        target = contexts.get(runtime)
        if target is None:
            target = ET.SubElement(root, "context")
            ET.SubElement(target, "name").text = runtime
            contexts[runtime] = target
        have = {m.findtext("source") for m in target.iter("message")}
        for m in contexts[written_as].iter("message"):
            if m.get("numerus") == "yes" and m.findtext("source") not in have:
                copy = ET.fromstring(ET.tostring(m))
                for loc in copy.findall("location"):
                    copy.remove(loc)
                target.append(copy)
    tree.getroot().set("language", "en")
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    QM.parent.mkdir(parents=True, exist_ok=True)
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(TS), "-qm", str(QM)], check=True)
    print(f"{filled} plural messages -> {QM}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
