"""Question trees the tests load: the small test tree, and the real tree's next version."""

from __future__ import annotations

import re
from pathlib import Path

from bot.tree.loader import DEFAULT_TREE

#: A small tree (tests/trees/mini.yaml) for the checker, the loader and the proof.
MINI = Path(__file__).parent / "trees" / "mini.yaml"

V1 = DEFAULT_TREE.read_text(encoding="utf-8")
V1_VERSION = re.search(r'version: "([0-9]+\.[0-9]+)"', V1).group(1)
V2_VERSION = f"{V1_VERSION.split('.')[0]}.{int(V1_VERSION.split('.')[1]) + 1}"
NEW_QUESTION = """  - id: referral_self_referral
    domain: referrals_access
    type: yes_no
    text: Can families refer themselves?
    help: Self-referral can widen who reaches the team.

"""


def version_two() -> str:
    """Add a question, drop an option and remove a question, as an editor might."""
    text = V1.replace(f'version: "{V1_VERSION}"', f'version: "{V2_VERSION}"')
    text = text.replace(
        """      - value: "informal"
        label: Referrers know how to refer, but it is not written down
""",
        "",
        1,
    )
    start = text.index("  - id: referral_age_start\n")
    end = text.index("  - id: referral_relationship_concern\n")
    text = text[:start] + NEW_QUESTION + text[end:]
    text = text.replace("next: referral_age_start", "next: referral_self_referral")
    text = text.replace(  # the dropped option's status rule goes with it
        """      - when: "referral_pathway == 'informal'"
        status: partly_met
        because: Referrers know how to refer, but the pathway is not written down.
""",
        "",
        1,
    )
    text = text.replace(
        """        when: "referral_age_start in ['from_birth', 'later']"\n""",
        "        for_every_gap: A version with no question on when referrals start.\n",
        1,
    )
    assert text.count("referral_age_start") == 0
    return text
