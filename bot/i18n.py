"""Language choice (the user's, then the browser's, then English) and translated text.

Flask-Babel as documented: `select_locale` picks the request's locale, which Flask-Babel keeps
for the request; its `gettext` and `lazy_gettext` translate, and Flask-WTF gives WTForms' own
messages in the same locale.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel, format_date, get_locale, get_translations, gettext
from jinja2 import pass_eval_context
from markupsafe import Markup

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


def page_translations() -> dict:
    """Return a page's `_`, `gettext`, `ngettext` and `tt`, bound to the catalogue once a render.

    Jinja looks these names up in a render's context before its globals (its i18n docs: give
    gettext and ngettext "either globally or when rendering"). Flask-Babel's globals find the
    catalogue again on every call (about 30 us of CPU each), and Jinja's `_` and newstyle
    gettext take the template's context, which inside a block or a loop means copying every
    name the page sees into a new context on each call; a question page makes about 65 of
    them. These take the catalogue once, from Flask-Babel's `get_translations()` (so a page
    rendered under `force_locale` gets that language), and only the evaluation context. They
    behave as Jinja's newstyle gettext, which Flask-Babel installs: the text is markup when
    autoescaping and is always %-formatted with the variables. Macros imported without
    context use Flask-Babel's globals, to the same effect.
    """
    translations = get_translations()

    @pass_eval_context
    def page_gettext(eval_context, text: str, **variables) -> str:
        found = translations.ugettext(text)
        if eval_context.autoescape:
            found = Markup(found)
        return found % variables

    @pass_eval_context
    def page_ngettext(eval_context, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        found = translations.ungettext(singular, plural, num)
        if eval_context.autoescape:
            found = Markup(found)
        return found % variables

    def page_tree_text(text: str) -> str:
        return translations.ugettext(text) if text else ""

    return {
        "_": page_gettext,
        "gettext": page_gettext,
        "ngettext": page_ngettext,
        "tt": page_tree_text,
    }


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
            **page_translations(),
        }
