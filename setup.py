"""Build step pyproject.toml cannot say: the wheel carries the app's folders, catalogues compiled.

`questions/`, `templates/`, `static/` and `translations/` stay at the top of the repository
(`bot.resources` finds them there in a checkout); a built wheel carries them inside the `bot`
package, with each Welsh catalogue compiled to its `.mo` (the `.po` sources stay behind), so an
installed app needs nothing from the checkout. An editable install (`make install`) uses the
repository's folders as they are.
"""

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

FOLDERS = ("questions", "templates", "static", "translations")
LEFT_OUT = shutil.ignore_patterns("*.po", "*.pot", "*.mo", "__pycache__", ".*")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "bot"
        for folder in FOLDERS:
            shutil.rmtree(package / folder, ignore_errors=True)
            shutil.copytree(folder, package / folder, ignore=LEFT_OUT)
        for source in Path("translations").glob("*/LC_MESSAGES/*.po"):
            with source.open("rb") as po:
                catalogue = read_po(po)
            compiled = package / source.with_suffix(".mo")
            compiled.parent.mkdir(parents=True, exist_ok=True)
            with compiled.open("wb") as mo:
                write_mo(mo, catalogue)


setup(cmdclass={"build_py": BuildWithResources})
