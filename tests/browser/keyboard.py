"""Moving through a page with the keyboard only, checking what a sighted keyboard user
sees at each stop: a focus indicator, and the focused control not hidden behind the
sticky quick-exit bar (WCAG 2.2: 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured)."""

from __future__ import annotations

#: What the focused element looks like, and whether it can be seen at all.
FOCUS_STATE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {name: 'nothing', ring: false, seen: false};
  }
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
    || (style.boxShadow && style.boxShadow !== 'none');
  const box = el.getBoundingClientRect();
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const seen = box.bottom > 0 && box.top < innerHeight && !!hit
    && (hit === el || el.contains(hit) || hit.contains(el) || hit.control === el);
  const name = `${el.tagName.toLowerCase()}#${el.id || ''} ${(el.innerText || el.value || '')
    .trim().slice(0, 30)}`;
  return {name, ring, seen};
}
"""


def focus_problem(page) -> str | None:
    state = page.evaluate(FOCUS_STATE)
    if not state["ring"]:
        return f"no visible focus on {state['name']}"
    if not state["seen"]:
        return f"{state['name']} is focused but hidden (off screen or under something)"
    return None


def tab_to(page, selector: str, *, limit: int = 80, backwards: bool = False) -> list[str]:
    """Press Tab until `selector` has focus, checking every stop on the way. Returns the
    problems met; raises AssertionError when the element is never reached."""
    problems = []
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        problem = focus_problem(page)
        if problem:
            problems.append(f"{page.url}: {problem}")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return problems
    raise AssertionError(f"{selector} never got focus with {key} on {page.url}")


def tab_through(page, *, limit: int = 200) -> list[str]:
    """Tab from the top of the page to the end, checking every stop."""
    problems, seen = [], set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            return problems
        key = page.evaluate(
            "() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
            " return `${e.tagName}#${e.id}|${e.getAttribute('href')}|${e.name}|${e.value}`"
            " + `|${Math.round(r.top + scrollY)}|${Math.round(r.left)}`; }"
        )
        if key in seen:  # wrapped round to the top again
            return problems
        seen.add(key)
        problem = focus_problem(page)
        if problem:
            problems.append(f"{page.url}: {problem}")
    return problems
