"""How an audit moved since the team's last finished one: the classification and descriptors.

Pure: it compares two assessments, each scored with its own tree, so a descriptor is matched
by its stable id even when the question tree changed between the two audits.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.tree import model as m
from bot.tree.assessment import Assessment

# From furthest to nearest the definition: a move up this order is an improvement.
STATUS_ORDER = {m.NOT_MET: 0, m.PARTLY_MET: 1, m.MET: 2}
IMPROVED = "improved"
WORSENED = "worsened"


@dataclass(frozen=True)
class DescriptorMove:
    """One descriptor whose status is not what it was last time."""

    descriptor: str
    before: str
    after: str

    @property
    def direction(self) -> str:
        return IMPROVED if STATUS_ORDER[self.after] > STATUS_ORDER[self.before] else WORSENED


@dataclass(frozen=True)
class Movement:
    """The classification then and now (now is None until every question is answered)."""

    before: str | None
    after: str | None
    moves: tuple[DescriptorMove, ...]
    unchanged: int  # descriptors with a status both times, and the same one

    @property
    def result_changed(self) -> bool:
        return self.after is not None and self.after != self.before


def movement(before: Assessment, after: Assessment) -> Movement:
    """Compare this audit (after) with the last finished one (before), in the current tree's order.

    Only descriptors with a status both times count: one not yet answered in this audit, or
    not in the earlier tree, has not moved.
    """
    then = before.evaluation.descriptors
    moves = []
    unchanged = 0
    for descriptor in after.tree.descriptors:
        earlier = then.get(descriptor.id)
        now = after.evaluation.descriptors[descriptor.id].status
        if earlier is None or earlier.status not in STATUS_ORDER or now not in STATUS_ORDER:
            continue
        if earlier.status == now:
            unchanged += 1
        else:
            moves.append(DescriptorMove(descriptor.id, earlier.status, now))
    return Movement(
        before=before.evaluation.classification,
        after=after.evaluation.classification,
        moves=tuple(moves),
        unchanged=unchanged,
    )
