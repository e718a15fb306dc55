"""Language choice: the user's explicit choice, then the browser's, then English."""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel, format_date, gettext

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


def current_language() -> str:
    if request and request.blueprint in ENGLISH_ONLY_BLUEPRINTS:
        return "en"
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    if request:
        return request.accept_languages.best_match(list(LANGUAGES)) or "en"
    return "en"


def select_locale() -> str:
    return BABEL_LOCALES[current_language()]


def tree_text(text: str) -> str:
    """Translate a text from the question tree, with no %-formatting (it may hold "50%")."""
    return gettext(text) if text else ""


def init_app(app: Flask, translations: str) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=translations)

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
