"""Validate guide files and report coverage of the catalogue: `python -m knowledge.check_guides [FILES...]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from knowledge.loader import GUIDES_DIR, PACKAGE_DIR, KnowledgeError, load_guide, load_offices


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(GUIDES_DIR.glob("*.yaml"))
    offices = load_offices(PACKAGE_DIR / "offices.sample.yaml")
    bad = 0
    for path in paths:
        try:
            guide = load_guide(path)
        except KnowledgeError as exc:
            print(exc)
            bad += 1
            continue
        if guide.office not in offices:
            print(f"{path.name}: field 'office': unknown office key '{guide.office}' (known: {sorted(offices)})")
            bad += 1
        else:
            print(f"ok {path.name}: {len(guide.questions)} questions, short answer {len(guide.short_answer)} chars")
    catalogue = Path(PACKAGE_DIR.parent.parent / "shared" / "catalogue.json")
    if not argv and catalogue.exists():
        ids = {s["id"] for s in json.loads(catalogue.read_text())["services"]}
        missing = sorted(ids - {p.stem for p in paths})
        print(f"catalogue ids without a guide: {len(missing)} {missing}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
