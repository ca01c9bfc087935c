"""axe-core, evaluated inside the page, and a readable report of its serious and critical findings."""
from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_PATH = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
#: findings at these impact levels fail a test; minor and moderate ones are reported by axe but tolerated
BLOCKING = ("serious", "critical")


@cache
def _source() -> str:
    # Evaluated through the DevTools protocol, so the app's Content-Security-Policy (which rightly
    # forbids inline scripts) does not apply to the testing tool.
    return AXE_PATH.read_text(encoding="utf-8") + "\n;true"


def run(page) -> list[dict]:
    """Run axe on the current page (WCAG 2.x A and AA plus best practices); return every violation."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return result["violations"]


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in BLOCKING]


def report(violations: list[dict], where: str) -> str:
    """One paragraph per violated rule: id, impact, help, and the first offending elements."""
    lines = [f"{len(violations)} serious/critical accessibility violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
