"""Fail when a translatable string of ours has no English translation.

Source strings are French; English is the second language and must be complete. This runs
``makemessages -l en`` on a throw-away copy of the code (so the tree is not touched) and
lists every untranslated or fuzzy entry. To update the real catalogues, run
``python manage.py makemessages -l en --ignore=.venv --ignore=node_modules`` and fill them in.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["tcri_site", "trainings", "forum", "advocacy", "search", "manage.py"]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tcri-i18n-") as tmp:
        tmp = Path(tmp)
        for name in SOURCES:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, tmp / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
            elif src.exists():
                shutil.copy2(src, tmp / name)
        result = subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
            cwd=tmp,
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tcri_site.settings.test"},
        )
        if result.returncode != 0:
            print(result.stdout, result.stderr)
            return 1
        missing = []
        for po_path in sorted(tmp.rglob("locale/en/LC_MESSAGES/django.po")):
            for entry in polib.pofile(str(po_path)):
                if entry.obsolete:
                    continue
                if not entry.translated() or "fuzzy" in entry.flags:
                    missing.append((po_path.relative_to(tmp), entry.msgid))
        if missing:
            print(f"{len(missing)} string(s) lack an English translation:")
            for path, msgid in missing:
                print(f"  {path}: {msgid!r}")
            print("Run: python manage.py makemessages -l en --ignore=.venv --ignore=node_modules, then translate.")
            return 1
    print("English catalogue complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
