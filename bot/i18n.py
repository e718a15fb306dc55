"""Language choice (the user's, then the browser's, then English) and translated text.

Flask-Babel as documented: `select_locale` picks the request's locale, which Flask-Babel keeps
for the request; its `gettext` and `lazy_gettext` translate, and Flask-WTF gives WTForms' own
messages in the same locale.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel, format_date, get_locale, gettext

babel = Babel()

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
BABEL_LOCALES = {"en": "en_GB", "cy": "cy"}
HTML_LANG = {"en": "en-GB", "cy": "cy"}


def N_(text: str) -> str:
    """Mark `text` for extraction only; it is translated where it is shown."""
    return text


#: Texts the tree loader supplies itself (a yes_no question's default option labels). The
#: loader imports no Flask, so they are marked here for the catalogue.
LOADER_TEXTS = (N_("Yes"), N_("No"))


#: Blueprints whose pages are English only: the foundation's console (issue 17).
ENGLISH_ONLY_BLUEPRINTS = {"admin", "admin_auth"}


def select_locale() -> str:
    """The request's locale: English on the console, else the user's choice, else the
    browser's, else English."""
    if not request or request.blueprint in ENGLISH_ONLY_BLUEPRINTS:
        return BABEL_LOCALES["en"]
    chosen = session.get("language")
    if chosen not in LANGUAGES:
        chosen = request.accept_languages.best_match(list(LANGUAGES)) or "en"
    return BABEL_LOCALES[chosen]


def current_language() -> str:
    """The language text is being shown in: "en" or "cy" (Flask-Babel's locale)."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else "en"


def tree_text(text: str) -> str:
    """Translate a text from the question tree, with no %-formatting (it may hold "50%")."""
    return gettext(text) if text else ""


def init_app(app: Flask, directory: str) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=directory)

    @app.context_processor
    def language_context() -> dict:
        language = current_language()
        return {
            "language": language,
            "html_lang": HTML_LANG[language],
            "languages": LANGUAGES,
            "format_date": format_date,
            "tt": tree_text,
        }
