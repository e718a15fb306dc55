"""Language choice (the user's, then the browser's, then English) and translated text."""

from __future__ import annotations

from babel import support
from flask import Flask, g, request, session
from flask_babel import Babel, format_date, get_locale, get_translations
from flask_babel import _get_current_context as _babel_context
from flask_babel.speaklater import LazyString
from wtforms.i18n import messages_path

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


def translations() -> support.NullTranslations:
    """Return the request's catalogue, looked up once per request.

    Flask-Babel finds the catalogue again on every `gettext` (the locale, its name, a cache
    look-up: about 150 times a question page). This keeps it in Flask-Babel's own per-request
    slot, `babel_translations`, which `force_locale` and `refresh` already reset, so text
    rendered in another language (a Welsh invitation) still gets that language's catalogue.
    """
    context = _babel_context()
    if context is None:
        return get_translations()
    found = getattr(context, "babel_translations", None)
    if found is None:
        found = context.babel_translations = get_translations()
    return found


def gettext(text: str, **variables) -> str:
    """Translate `text` for the request, then %-format it with `variables` (Flask-Babel's)."""
    translated = translations().ugettext(text)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(text: str, **variables) -> LazyString:
    """Mark `text` to be translated each time it is shown (for strings made at import)."""
    return LazyString(gettext, text, **variables)


class WTFormsTranslations:
    """WTForms' own messages, each language's catalogue read from disk once per process.

    Flask-WTF reads WTForms' .mo file again on every request that builds a form.
    """

    def __init__(self) -> None:
        self._catalogues: dict[str, support.Translations] = {}

    def _catalogue(self) -> support.NullTranslations:
        # WTForms asks for every field it binds (a label from the field's name), so the locale
        # comes from the request's own memo rather than Flask-Babel's look-up.
        locale = BABEL_LOCALES[current_language()] if request else str(get_locale())
        if locale not in self._catalogues:
            self._catalogues[locale] = support.Translations.load(
                messages_path(), [locale], domain="wtforms"
            )
        return self._catalogues[locale]

    def gettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


wtforms_translations = WTFormsTranslations()


def current_language() -> str:
    """The request's language: English on the console, else the user's choice, else the
    browser's, else English. Worked out once per request and choice (a page asks often)."""
    if not request:
        return "en"
    chosen = session.get("language")
    known = g.get("language_for")
    if known is not None and known[0] == chosen:
        return known[1]
    if request.blueprint in ENGLISH_ONLY_BLUEPRINTS:
        language = "en"
    elif chosen in LANGUAGES:
        language = chosen
    else:
        language = request.accept_languages.best_match(list(LANGUAGES)) or "en"
    g.language_for = (chosen, language)
    return language


def select_locale() -> str:
    return BABEL_LOCALES[current_language()]


def tree_text(text: str) -> str:
    """Translate a text from the question tree, with no %-formatting (it may hold "50%")."""
    return gettext(text) if text else ""


def init_app(app: Flask, directory: str) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=directory)
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: translations().ugettext(text),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(
            context, singular, plural, n
        ),
    )

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
