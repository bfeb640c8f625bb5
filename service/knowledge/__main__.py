"""Knowledge chores: `python -m service.knowledge check` validates, `build` also writes the store."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from service.config import get_settings
from service.knowledge.source import KnowledgeError, is_withheld, read_knowledge
from service.knowledge.store import write_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.knowledge", description=__doc__)
    parser.add_argument("command", choices=["check", "build"])
    parser.add_argument("--db-url", help="SQLAlchemy URL of the store (default: TKI_CDS_KNOWLEDGE_DB_URL or the embedded SQLite file)")
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        source = read_knowledge(settings.knowledge_dir)
    except KnowledgeError as error:
        print(error, file=sys.stderr)
        return 1
    unverified = sorted(e.id for e in source.evidence if not e.citable)
    print(
        f"knowledge {source.release.version}: {len(source.regimens)} regimens, "
        f"{sum(len(r.indications) for r in source.regimens)} indications, {len(source.evidence)} evidence records "
        f"({len(unverified)} not citable), {sum(len(label.rules) for label in source.labels)} label interaction rules, "
        f"{len(source.rules.resistance)} resistance rules, {len(source.rules.toxicity)} toxicity rules, "
        f"{len(source.rules.patient)} patient rules (contraindications and cautions)"
    )
    if unverified:
        print("not shown as evidence (unverified or no identifier): " + ", ".join(unverified))
    evidence_by_id = {e.id: e for e in source.evidence}
    withheld = sorted(f"{r.id}/{i.id}" for r in source.regimens for i in r.indications if is_withheld(r, i, evidence_by_id))
    if withheld:
        print("withheld until verified (listed in answers, never offered): " + ", ".join(withheld))
    us_labels = [label for label in source.labels if label.us_label]
    no_set_id = sorted(label.drug for label in us_labels if label.label.set_id is None)
    read = sum(1 for label in us_labels for rule in label.rules if label.wording_read(rule))
    print(
        f"label records: {len(us_labels)} US labels, {len(us_labels) - len(no_set_id)} with a DailyMed set ID; "
        f"{read} of {sum(len(label.rules) for label in us_labels)} rules with the label's own wording read"
    )
    by_kind = Counter(label.label.set_id_verified for label in us_labels if label.label.set_id is not None)
    print("set IDs by how they were verified: " + ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items())))
    if no_set_id:
        print("US labels without a verified DailyMed set ID (shown without a link): " + ", ".join(no_set_id))
    if args.command == "build":
        url = args.db_url or settings.knowledge_db_url
        if url.startswith("sqlite:///"):
            from pathlib import Path

            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        content_hash = write_store(source, url)
        print(f"store written: {content_hash}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
