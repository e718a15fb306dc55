"""Render real action plans to docs/plan-preview/ as .docx, PDF and one PNG a page; count pages.

Each plan is what a team downloads: a team is created, the audit is answered through the web
pages from a team profile (tests/profiles.py) and finished, and the plan is fetched from its
download link. The plans, by default:

- ``specialised``: the profile "everything met";
- ``targeted``: "referrals only up to the first birthday";
- ``not-yet-meeting``: a typical team not yet meeting the definition, made of several profiles'
  gaps at once (supervision a little short, a Band 8B lead, competencies and referrals only to
  the first birthday, no wider systems work, patchy outcomes data);
- ``not-yet-meeting-cy``: the same team's plan in Welsh;
- ``re-audit``: the same team a year on (its second audit), with its supervision, lead and
  wider systems work fixed.

    .venv/bin/python bench/plan_preview.py [NAME ...]

Run through `make plan-preview`, which installs LibreOffice and poppler-utils when missing.
Each conversion gets its own LibreOffice profile: two conversions sharing one can silently
drop their output.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import create_app, store  # noqa: E402
from bot.db import get_db  # noqa: E402
from tests.audit_support import form_data, team_at, walk  # noqa: E402
from tests.profiles import PROFILES, SPECIALISED  # noqa: E402

OUT = ROOT / "docs" / "plan-preview"
RESOLUTION = 60  # dpi: enough to judge layout, small enough to keep the PNGs light
#: Notes a team might leave on a few answers (most answers carry none).
NOTES = {
    "sup_under3_hours": "Supervision was cut back while our senior psychotherapist was on leave.",
    "lead_pay_band": "The post is being regraded this year.",
    "staff_aimh_level": "Two practitioners start the AIMH self-assessment in January.",
    "referral_age_range": "Commissioned for the first year only.",
    "systems_mechanisms": "We would like to, but there is no time in the job plans.",
}

TYPICAL_GAPS = (
    "part-time staff pro rata: half an hour short",
    "8B without consultant responsibilities is partly met",
    "a targeted flag plus another gap",
    "no wider systems work",
)
#: name -> (profiles whose changes are combined, language, profiles of the audit before)
PLANS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "specialised": (("everything met",), "en", ()),
    "targeted": (("referrals only up to the first birthday",), "en", ()),
    "not-yet-meeting": (TYPICAL_GAPS, "en", ()),
    "not-yet-meeting-cy": (TYPICAL_GAPS, "cy", ()),
    "re-audit": (("a targeted flag plus another gap",), "en", TYPICAL_GAPS),
}


#: Most A4 pages each plan may take (issue 33); no page but the last under a third full.
AIMS = {
    "specialised": 3,
    "targeted": 4,
    "not-yet-meeting": 7,
    "not-yet-meeting-cy": 8,
    "re-audit": 7,
}
LEAST_FILL = 1 / 3


def answers_of(profile_names: tuple[str, ...]) -> dict[str, Any]:
    """Return SPECIALISED with the changes (and dropped answers) of each named profile."""
    by_name = {profile.name: profile for profile in PROFILES}
    answers = dict(SPECIALISED)
    for name in profile_names:
        profile = by_name[name]
        answers.update(profile.changes)
        for question_id in profile.drop:
            answers.pop(question_id, None)
    return answers


def answer_and_finish(client, token: str, answers: dict[str, Any]) -> None:
    walk(client, token, answers)
    prefix = team_at(client, token)
    for question_id, note in NOTES.items():
        if question_id in answers:
            client.post(f"{prefix}/q/{question_id}", data=form_data(answers[question_id], note))
    client.post(f"{prefix}/finish")


def download_plan(
    folder: str, profile_names: tuple[str, ...], language: str, before: tuple[str, ...] = ()
) -> bytes:
    app = create_app({"TESTING": True, "DB": f"{folder}/plan.db", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        _, token = store.create_team(get_db(), "Riverside Parent-Infant Relationship Team")
    client = app.test_client()
    prefix = team_at(client, token)
    client.post(f"{prefix}/", data={"name": "Dr Amira Okafor", "role": "Clinical lead"})
    if before:  # last year's audit, then the next one, started from it
        answer_and_finish(client, token, answers_of(before))
        client.post(f"{prefix}/next-audit")
    answer_and_finish(client, token, answers_of(profile_names))
    if language != "en":
        client.get(f"/language/{language}")
    response = client.get(f"{prefix}/action-plan.docx")
    if response.status_code != 200:
        raise RuntimeError(f"plan download failed: {response.status_code}")
    return response.data


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


MARGIN_PT = 20 / 25.4 * 72  # the plan's 20 mm margins; the footer sits in the bottom one


def page_fill(pdf: Path) -> list[float]:
    """How far down each page its text reaches, as a share of the text area (footer left out)."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    shares = []
    for height, body in re.findall(
        r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', boxes, re.S
    ):
        bottom_edge = float(height) - MARGIN_PT
        ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', body) if float(y) < bottom_edge]
        lowest = max(ys, default=MARGIN_PT)
        shares.append((lowest - MARGIN_PT) / (bottom_edge - MARGIN_PT))
    return shares


def render(name: str, data: bytes) -> tuple[int, list[float]]:
    for old in OUT.glob(f"{name}.*"):
        old.unlink()
    for old in OUT.glob(f"{name}-[0-9]*.png"):
        old.unlink()
    docx = OUT / f"{name}.docx"
    docx.write_bytes(data)
    with tempfile.TemporaryDirectory(prefix="lo-") as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(OUT), str(docx)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180,
        )  # fmt: skip
    pdf = OUT / f"{name}.pdf"
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice exited cleanly but wrote no {pdf.name}")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(RESOLUTION), str(pdf), str(OUT / name)], check=True
    )
    return page_count(pdf), page_fill(pdf)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(PLANS))
    names = parser.parse_args().names or list(PLANS)
    unknown = [name for name in names if name not in PLANS]
    if unknown:
        parser.error(f"unknown plan {', '.join(unknown)}; choose from {', '.join(PLANS)}")
    for tool in ("soffice", "pdftoppm", "pdfinfo"):
        if shutil.which(tool) is None:
            print(f"{tool} not found: run `make plan-preview` to install it", file=sys.stderr)
            return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names:
        profile_names, language, before = PLANS[name]
        with tempfile.TemporaryDirectory() as folder:
            data = download_plan(folder, profile_names, language, before)
        pages, fill = render(name, data)
        emptiest = min(fill[:-1], default=1.0)  # the last page may be short
        within = pages <= AIMS[name] and emptiest >= LEAST_FILL
        print(
            f"{name}: {pages} A4 pages (aim at most {AIMS[name]}), {len(data) / 1024:.0f} KiB,"
            f" least-filled page but the last {emptiest:.0%} full:"
            f" {'within the aims' if within else 'OVER AN AIM'}  (docs/plan-preview/{name}*)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
