"""Write the demo action plan to docs/plan-preview/ as .docx, PDF and one PNG a page.

Run through `make plan-preview`, which installs LibreOffice and poppler-utils when missing.
Each conversion gets its own LibreOffice profile: two conversions sharing one can silently
drop their output.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.plan.document import build_action_plan  # noqa: E402
from tests.plan_fixtures import EXAMPLE_PLAN  # noqa: E402

OUT = ROOT / "docs" / "plan-preview"
STEM = "action-plan"
RESOLUTION = 60  # dpi: enough to judge layout, small enough to keep the PNGs light


def main() -> int:
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"{tool} not found: run `make plan-preview` to install it", file=sys.stderr)
            return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob(f"{STEM}*"):
        old.unlink()
    docx = OUT / f"{STEM}.docx"
    docx.write_bytes(build_action_plan(EXAMPLE_PLAN))

    with tempfile.TemporaryDirectory(prefix="lo-") as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(OUT), str(docx)],
            check=True, stdout=subprocess.DEVNULL, timeout=180,
        )  # fmt: skip
    pdf = OUT / f"{STEM}.pdf"
    if not pdf.exists():
        print(f"LibreOffice exited cleanly but wrote no {pdf.name}", file=sys.stderr)
        return 1
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(RESOLUTION), str(pdf), str(OUT / STEM)], check=True
    )
    for path in sorted(OUT.glob(f"{STEM}*")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
