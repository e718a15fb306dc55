"""Team names: cleaned the same way everywhere, and compared after folding (no database).

Pure Python. Every way a team is named (sign-up, "Add a team", the import, the command line)
cleans the name with `clean_name` and checks it with `fold_name`, so "St Mary’s", "st marys"
and "St. Mary's" are one name, and no name can carry bidirectional controls that make it
display as something else.
"""

from __future__ import annotations

import re
import unicodedata

from bot.tree.answers import clean_line

#: Unicode's bidirectional formatting characters (embeddings, overrides, isolates, marks).
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_name(text):
    """Clean a name as one line, without bidirectional controls."""
    if not isinstance(text, str):
        return text
    return clean_line(BIDI_CONTROLS.sub("", text))


def fold_name(name: str) -> str:
    """The name as compared: accents dropped, case folded, only letters and digits kept."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c for c in bare if c.isalnum())
