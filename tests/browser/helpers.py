"""Browser helpers shared by the accessibility, journey and quick-exit tests.

axe-core comes from the project's own lock file (tests/browser/node, `make node`) and is
injected into Debian's Chromium with Playwright: nothing is downloaded at run time.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from tests.pages import cookie_value, discover
from tests.people import build_world
from tests.support.environment import need

AXE = Path(__file__).resolve().parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: The WCAG 2.2 AA rule sets, plus axe's best practices (landmarks, headings, regions).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 360, "height": 640}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],  // passes and the rest are not read: skip their details
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}
"""

#: Elements whose content is wider than their own box (text spilling out), and elements
#: that stick out past the edge of the screen. Content of a scrolling table box is not
#: counted: the box itself is.
FIND_OVERFLOW = """
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || ['SCRIPT', 'OPTION'].includes(el.tagName)) continue;
    // A data table may scroll inside its own box (WCAG 1.4.10 allows it for tables).
    const scroller = el.parentElement && el.parentElement.closest('.table-scroll');
    if (scroller) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    const spills = style.display !== 'inline' && el.scrollWidth > el.clientWidth + 1
      && style.overflowX === 'visible';
    // Visually hidden elements (the skip link until focused) sit wholly off screen.
    const onScreen = box.right > 0 && box.left < width;
    const outside = onScreen && (box.right > width + 1 || box.left < -1);
    if (spills || outside) {
      problems.push(`${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  return problems;
}
"""

FITS_WIDTH = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def need_axe() -> None:
    need(AXE.exists(), "axe-core is not installed: run `make node` (it needs npm)")


def new_phone_context(browser, *, bypass_csp: bool = False, **options):
    """A phone-sized context that never reaches the internet. `bypass_csp` lets axe be
    injected (the pages allow no inline script)."""
    context = browser.new_context(
        viewport=options.pop("viewport", PHONE), bypass_csp=bypass_csp, **options
    )
    context.route(
        lambda url: not url.startswith("http://127.0.0.1"),
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"
        ),
    )
    return context


def live_world(server):
    """The people of tests/people.py in the live server's database."""
    with Session(server.app.extensions["db_engine"], expire_on_commit=False) as session:
        return build_world(session)


def live_pages(server, world):
    return discover(server.app, world)


def set_state(context, server, state: dict, locale: str) -> None:
    """Put a page's sign-in (or pending step) and the language in the browser's cookies."""
    context.add_cookies(
        [
            {
                "name": server.app.config["SESSION_COOKIE_NAME"],
                "value": cookie_value(server.app, state),
                "url": server.url,
            },
            {"name": "lang", "value": locale, "url": server.url},
        ]
    )


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def save_screenshot(page, name: str) -> Path:
    """A full-page screenshot in test-artifacts/ (kept by CI), for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
