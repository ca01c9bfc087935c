"""Translation maintenance for developers (not needed at run time).

    python scripts/i18n.py check          # every UI string translated in zh_Hans_CN and zh_Hant_TW?
    python scripts/i18n.py update DIR     # add this tree's new msgids to DIR/translations/*/messages.po
    python scripts/i18n.py fill-hant DIR  # fill empty zh_Hant_TW entries from zh_Hans_CN (OpenCC s2t)
    python scripts/i18n.py compile        # compile every messages.po to messages.mo
    python scripts/i18n.py regen-hant     # rebuild every zh_Hant_TW string from zh_Hans_CN (OpenCC s2t)
    python scripts/i18n.py dedupe         # keep each msgid in one catalogue only (see DEDUPE_PRIORITY)
    python scripts/i18n.py import-tsv DIR FILE.tsv   # set zh_Hans_CN strings: msgid<TAB>译文 per line

Source strings (msgids) are English; ``en`` needs no catalogue. Each domain package may keep
its own ``translations/`` folder (Flask-Babel merges them); the core one is registry/translations.
DIR is that domain package, e.g. ``registry/review``; the strings taken are those of the package's
Python files and of ``templates/<domain>/`` (the core takes everything not claimed by a domain).
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans_CN", "zh_Hant_TW")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2)}
METHOD_MAP = [("registry/**.py", "python"), ("templates/**.html", "jinja2")]


def catalog_dirs() -> list[Path]:
    core = ROOT / "registry" / "translations"
    return [core] + sorted(p for p in (ROOT / "registry").glob("*/translations") if p.is_dir())


def extract_all() -> dict[str, list[str]]:
    """msgid → places it is used, for the whole project."""
    found: dict[str, list[str]] = {}
    for base, method in (("registry", "python"), ("templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            ROOT / base, method_map=[(pattern, method)], keywords=KEYWORDS,
            options_map={pattern: {"extensions": "jinja2.ext.i18n"}} if method == "jinja2" else None,
        ):
            msgids = message if isinstance(message, tuple) else (message,)
            for m in msgids:
                if m:
                    found.setdefault(m, []).append(f"{base}/{filename}:{lineno}")
    return found


def domain_messages(domain_dir: Path) -> dict[str, list[str]]:
    domain = domain_dir.name
    every = extract_all()
    if domain_dir == ROOT / "registry":
        return every
    return {m: places for m, places in every.items()
            if any(p.startswith((f"registry/{domain}/", f"templates/{domain}/")) for p in places)}


def load(path: Path, locale: str) -> Catalog:
    if path.exists():
        with path.open("rb") as fh:
            return read_po(fh, locale=locale)
    return Catalog(locale=locale, project="licensing-item-registry")


def save(cat: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, cat, width=0, omit_header=False, sort_output=True)


def merged(locale: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in catalog_dirs():
        po = d / locale / "LC_MESSAGES" / "messages.po"
        if po.exists():
            for msg in load(po, locale):
                if msg.id and msg.string and (isinstance(msg.string, str) or all(msg.string)):
                    key = msg.id if isinstance(msg.id, str) else msg.id[0]
                    out.setdefault(key, msg.string if isinstance(msg.string, str) else msg.string[0])
    return out


def missing() -> dict[str, list[str]]:
    every = extract_all()
    return {loc: sorted(set(every) - set(merged(loc))) for loc in LOCALES}


def duplicates() -> list[str]:
    """msgids defined in more than one catalogue (Flask-Babel lets the last one win: ambiguous)."""
    out = []
    for loc in LOCALES:
        seen: dict[str, Path] = {}
        for d in catalog_dirs():
            po = d / loc / "LC_MESSAGES" / "messages.po"
            if po.exists():
                for m in load(po, loc):
                    if m.id and m.string:
                        if m.id in seen:
                            out.append(f"{loc}: {m.id!r} in {seen[m.id].parent.name} and {d.parent.name}")
                        seen.setdefault(m.id, d)
    return out


#: which catalogue keeps a msgid defined twice (``dedupe``): earlier wins
DEDUPE_PRIORITY = ("registry", "public", "review", "items", "auth", "legal", "imports", "alignment", "reports",
                   "admin", "audit", "inbox")


def cmd_dedupe() -> int:
    used = set(extract_all())
    for d in catalog_dirs():  # first drop what no code uses any more
        for po in d.glob("*/LC_MESSAGES/messages.po"):
            cat = load(po, po.parent.parent.name)
            stale = [m.id for m in cat if m.id and m.id not in used]
            for mid in stale:
                del cat[mid]
            if stale:
                save(cat, po)
                print(f"{po.relative_to(ROOT)}: dropped {len(stale)} unused")
    dirs = sorted(catalog_dirs(), key=lambda d: DEDUPE_PRIORITY.index(d.parent.name)
                  if d.parent.name in DEDUPE_PRIORITY else len(DEDUPE_PRIORITY))
    for loc in LOCALES:
        seen: set[str] = set()
        for d in dirs:
            po = d / loc / "LC_MESSAGES" / "messages.po"
            if not po.exists():
                continue
            cat = load(po, loc)
            dropped = [m.id for m in cat if m.id and m.string and m.id in seen]
            for mid in dropped:
                del cat[mid]
            seen.update(m.id for m in cat if m.id and m.string)
            if dropped:
                save(cat, po)
                print(f"{po.relative_to(ROOT)}: dropped {len(dropped)} duplicates")
    return 0


def cmd_check() -> int:
    gaps = missing()
    for loc, ids in gaps.items():
        for m in ids:
            print(f"{loc}: untranslated: {m!r}")
    dups = duplicates()
    for line in dups:
        print(f"defined twice: {line}")
    return 1 if any(gaps.values()) or dups else 0


def cmd_update(domain_dir: Path) -> int:
    msgs = domain_messages(domain_dir)
    target = domain_dir / "translations"
    others = {}
    for loc in LOCALES:
        others[loc] = {}
        for d in catalog_dirs():
            if d != target:
                po = d / loc / "LC_MESSAGES" / "messages.po"
                if po.exists():
                    others[loc].update({m.id: m.string for m in load(po, loc) if m.id and m.string})
    for loc in LOCALES:
        path = target / loc / "LC_MESSAGES" / "messages.po"
        cat = load(path, loc)
        added = 0
        for m, places in msgs.items():
            if m not in cat and m not in others[loc]:
                cat.add(m, "", locations=[(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places[:3]])
                added += 1
        save(cat, path)
        print(f"{path.relative_to(ROOT)}: {added} new, {sum(1 for m in cat if m.id and not m.string)} untranslated")
    return 0


def cmd_fill_hant(domain_dir: Path) -> int:
    from opencc import OpenCC

    cc = OpenCC("s2t")  # characters only: legal terms (文件, 发布) keep their mainland wording
    hans = load(domain_dir / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po", "zh_Hans_CN")
    path = domain_dir / "translations" / "zh_Hant_TW" / "LC_MESSAGES" / "messages.po"
    hant = load(path, "zh_Hant_TW")
    filled = 0
    for msg in hans:
        if msg.id and msg.string:
            cur = hant.get(msg.id)
            if cur is None:
                hant.add(msg.id, cc.convert(msg.string), locations=msg.locations)
                filled += 1
            elif not cur.string:
                cur.string = cc.convert(msg.string)
                filled += 1
    save(hant, path)
    print(f"{path.relative_to(ROOT)}: {filled} filled from zh_Hans_CN")
    return 0


def cmd_regen_hant() -> int:
    """Regenerate every zh_Hant_TW entry from its zh_Hans_CN source (OpenCC s2t)."""
    from opencc import OpenCC

    cc = OpenCC("s2t")
    for d in catalog_dirs():
        hans = load(d / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po", "zh_Hans_CN")
        path = d / "zh_Hant_TW" / "LC_MESSAGES" / "messages.po"
        hant = load(path, "zh_Hant_TW")
        for msg in hans:
            if msg.id and msg.string:
                cur = hant.get(msg.id)
                if cur is None:
                    hant.add(msg.id, cc.convert(msg.string), locations=msg.locations)
                else:
                    cur.string = cc.convert(msg.string)
        save(hant, path)
    return 0


def cmd_compile() -> int:
    for d in catalog_dirs():
        for po in d.glob("*/LC_MESSAGES/messages.po"):
            loc = po.parent.parent.name
            cat = load(po, loc)
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, cat)
            print(f"compiled {po.relative_to(ROOT)}")
    return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "check":
        return cmd_check()
    if cmd == "compile":
        return cmd_compile()
    if cmd == "dedupe":
        return cmd_dedupe()
    if cmd == "regen-hant":
        return cmd_regen_hant()
    if cmd in ("update", "fill-hant") and len(rest) == 1:
        d = (ROOT / rest[0]).resolve()
        return cmd_update(d) if cmd == "update" else cmd_fill_hant(d)
    print(__doc__)
    return 2




def cmd_import_tsv(domain_dir: Path, tsv: Path) -> int:
    """Set zh_Hans_CN translations from a TSV file: ``msgid<TAB>简体中文`` per line."""
    path = domain_dir / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    cat = load(path, "zh_Hans_CN")
    n = 0
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            msgid, text = line.split("\t", 1)
            msgid = msgid.replace("\\n", "\n")
            existing = cat.get(msgid)
            if existing is not None:  # Catalog.add keeps an existing entry's old string
                existing.string = text.replace("\\n", "\n")
            else:
                cat.add(msgid, text.replace("\\n", "\n"))
            n += 1
    save(cat, path)
    print(f"{path.relative_to(ROOT)}: {n} set")
    return 0


_main = main


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "import-tsv":
        return cmd_import_tsv((ROOT / argv[1]).resolve(), Path(argv[2]))
    return _main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
