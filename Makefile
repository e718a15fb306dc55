# Every command the project runs lives here; README and CI call these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format tree-check install clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Quiet on purpose: a first run shows the tree check, the demo link (for the address it serves)
# and the server's address, nothing that reads as a fault. Werkzeug's red "development server"
# banner is dropped: `make run` is the development server by definition (production: gunicorn,
# docs/operations.md). `make run REPLICA=folder` also replicates the database to that folder as
# it changes, with Litestream as in production (restore: `litestream restore -o new.db
# file://$PWD/folder`, then `flask --app bot db restore new.db`).
REPLICA ?=
SERVE = $(BIN)/flask --app bot run --host $(HOST) --port $(PORT)
run: $(STAMP)
	@$(BIN)/flask --app bot tree check
	@FLASK_RUN_HOST=$(HOST) FLASK_RUN_PORT=$(PORT) $(BIN)/flask --app bot team demo
	@$(if $(REPLICA),$(BIN)/litestream replicate -exec "$(SERVE)" $(CURDIR)/instance/audit.db \
	  file://$(abspath $(REPLICA)),$(SERVE)) 2>&1 \
	  | grep --line-buffered -v 'This is a development server'

# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: the suite starts dozens of
# Python processes (gunicorn, the live server, start-up checks in a new process), and each one
# would compile the app again, as each xdist worker would rewrite every test module's asserts.
# The tree is proved by the suite itself (tests/test_scenarios.py runs `flask tree check`), in
# parallel with the rest rather than before it.
test: $(STAMP) lint browser-deps
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench wsgi.py setup.py
	$(BIN)/ruff format --check bot tests bench wsgi.py setup.py

format: $(STAMP)
	$(BIN)/ruff format bot tests bench wsgi.py setup.py
	$(BIN)/ruff check --fix bot tests bench wsgi.py setup.py

tree-check: $(STAMP)
	$(BIN)/flask --app bot tree check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Translations. One extraction covers Python, templates and the question tree (babel.cfg);
# the Welsh catalogue is translations/cy/LC_MESSAGES/messages.po. Compiled .mo files are never
# committed: the app compiles a missing or stale one when it starts (bot/catalogues.py), and a
# built wheel carries them compiled (setup.py).
POT := translations/messages.pot
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2
.PHONY: translations-extract translations-update translations-compile

translations-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --add-comments=TRANSLATORS: \
	  --sort-by-file --no-wrap --project="Parent-infant team self-audit" -o $(POT) .

# The statistics count the console's strings too, which stay English by design (only the team's
# pages must be Welsh; tests/test_i18n.py checks those), so they are shown here, where a
# translator works, and not on every `make run`.
translations-update: translations-extract
	$(BIN)/pybabel update -i $(POT) -d translations -l cy --no-fuzzy-matching --no-wrap \
	  --init-missing
	$(BIN)/pybabel compile -d translations --statistics

translations-compile: $(STAMP)
	@$(BIN)/pybabel --quiet compile -d translations

# Render teams' action plans (specialised, targeted, not yet meeting, Welsh) to
# docs/plan-preview/ (.docx, PDF, one PNG a page) and print each one's A4 page count.
# Installs LibreOffice (no GUI), the Calibri/Cambria metric fonts and pdftoppm when missing.
PREVIEW_APT := libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea \
	poppler-utils
.PHONY: plan-preview
plan-preview: $(STAMP)
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null \
	    || ! fc-list 2>/dev/null | grep -qi carlito; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "plan-preview needs: apt-get install $(PREVIEW_APT)" >&2; exit 1; fi; \
	  echo "Installing $(PREVIEW_APT) (about 30 s)"; \
	  apt-get update -qq \
	    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PREVIEW_APT) >/dev/null; \
	fi
	$(BIN)/python bench/plan_preview.py

# Browser tests (tests/browser) and screenshots drive Debian's chromium-headless-shell (the
# engine without the desktop browser: half the CPU), Lighthouse Debian's full chromium; never a
# browser Playwright downloads. Installed with apt-get when missing and run as root; otherwise
# the browser tests are skipped with the reason (and fail under REQUIRE_BROWSER=1, as in CI).
HEADLESS_SHELL := /usr/bin/chromium-headless-shell
FULL_CHROMIUM := /usr/bin/chromium
define apt_install
	@if [ ! -x "$(1)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $(2) (about 25 s)"; \
	    apt-get update -qq \
	      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "No $(1); as root: apt-get install $(2). $(3)" >&2; \
	  fi; \
	fi
endef
.PHONY: browser-deps full-chromium screenshots lighthouse
browser-deps:
	$(call apt_install,$(HEADLESS_SHELL),chromium-headless-shell,Browser tests will be skipped.)

full-chromium:
	$(call apt_install,$(FULL_CHROMIUM),chromium,Lighthouse cannot run.)

# Phone (390 px) and desktop (1280 px) screenshots of the team's pages into docs/screenshots/.
screenshots: $(STAMP) browser-deps
	$(BIN)/python bench/screenshots.py

# Lighthouse (mobile) on the start, a question and the result page; scores into
# docs/performance.md. Lighthouse itself comes from package.json into node_modules/.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lighthouse: $(STAMP) full-chromium node_modules/.installed
	$(BIN)/python bench/lighthouse.py

# Benchmarks (not part of `make test`): each prints its figures; docs/performance.md records
# them with the command that made them.
.PHONY: bench
bench: $(STAMP) browser-deps
	$(BIN)/python bench/load.py
	$(BIN)/python bench/plan_build.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/console_scale.py
	$(BIN)/python bench/startup.py
