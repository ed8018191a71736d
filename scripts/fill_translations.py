"""Fill missing msgstr entries of a .po file from a Python dict file (a helper for translators).

Usage: python scripts/fill_translations.py path/to/django.po translations.py
where translations.py defines T = {msgid: msgstr} and optionally PLURALS = {msgid: (one, many)}.
"""

import runpy
import sys

import polib


def main(po_path: str, table_path: str) -> int:
    table = runpy.run_path(table_path)
    singular, plurals = table.get("T", {}), table.get("PLURALS", {})
    po = polib.pofile(po_path)
    filled = 0
    for entry in po:
        if entry.msgid_plural and entry.msgid in plurals:
            one, many = plurals[entry.msgid]
            entry.msgstr_plural = {0: one, 1: many}
        elif entry.msgid in singular:
            entry.msgstr = singular[entry.msgid]
        else:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    print(f"{filled} filled, {len(missing)} still missing")
    for msgid in missing:
        print("  ", repr(msgid))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
