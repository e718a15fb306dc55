"""Save phone and desktop screenshots of the team's key pages to docs/screenshots/.

Run through `make screenshots`. It serves the real app on a free 127.0.0.1 port with a
throwaway database, seeds teams at each stage of an audit and photographs each page in
Debian's headless chromium: a 390 px phone at device scale 2 and a 1280 px desktop at scale 1.
Each shot is the first screen a person sees on arrival (a question page opens scrolled to the
question), which keeps the PNGs light; --full takes whole pages, --all every page type.

    .venv/bin/python bench/screenshots.py [--out DIR] [--all] [--full] [--only NAME ...]
                                          [--width PX --scale N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.pages import TEAM_PAGES, Site  # noqa: E402
from tests.browser.support import LiveServer, browser_problem, launch_args  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
              "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
}  # fmt: skip
MAX_HEIGHT = 6000  # CSS px, with --full: the rest of a long page repeats its layout
# The page types shown in docs/screenshots/ (every one is photographed with --all).
KEY_PAGES = [
    "start",
    "question-whole-number",
    "question-single-choice",
    "question-multiple-choice",
    "question-error-number",
    "check",
    "result",
]


def shoot(page, path: Path, *, full: bool) -> str:
    if not full:
        page.screenshot(path=path, animations="disabled", caret="initial")
        return ""
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, MAX_HEIGHT)}
    page.screenshot(path=path, clip=clip, full_page=True, animations="disabled", caret="initial")
    return f" (cut at {MAX_HEIGHT} of {height} px)" if height > MAX_HEIGHT else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--all", action="store_true", help="every page type, not just the key ones")
    parser.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    parser.add_argument("--only", nargs="*", help="page type names", choices=list(TEAM_PAGES))
    parser.add_argument("--width", type=int, help="one extra size: CSS px wide")
    parser.add_argument("--scale", type=float, default=1, help="device scale for --width")
    args = parser.parse_args(argv)
    problem = browser_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1

    from playwright.sync_api import sync_playwright

    names = args.only or (list(TEAM_PAGES) if args.all else KEY_PAGES)
    sizes = SIZES
    if args.width:
        sizes = {
            f"{args.width}px-x{args.scale:g}": {
                "viewport": {"width": args.width, "height": 800},
                "device_scale_factor": args.scale,
            }
        }
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp, sync_playwright() as pw:
        server = LiveServer(Path(tmp) / "audit.db").start()
        try:
            site = Site.seed(server)
            browser = pw.chromium.launch(**launch_args())
            for size, options in sizes.items():
                context = browser.new_context(**options)
                page = context.new_page()
                for name in names:
                    TEAM_PAGES[name](page, site)
                    path = args.out / f"{name}-{size}.png"
                    note = shoot(page, path, full=args.full)
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                          f"  {path.stat().st_size / 1024:.0f} KiB{note}")  # fmt: skip
                context.close()
            browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
