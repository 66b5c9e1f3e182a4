# Loom: `make run` serves the demo, `make test` runs every check. Both set themselves up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export LOOM_DATA_DIR ?= var

.PHONY: run test lint typecheck bench install clean

$(STAMP): pyproject.toml examples/subcontract/pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Loom needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]' -e ./examples/subcontract
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/loom db upgrade
	$(BIN)/loom demo --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check src tests examples bench
	$(BIN)/ruff format --check src tests examples bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/bandit -c pyproject.toml -r src -q
	$(BIN)/python .ci/audit_deps.py

test: lint
	$(BIN)/loom apps check
	@# two workers or more (one per core); MQTT tests share one worker (see loom.testing.plugin)
	$(BIN)/pytest -n auto --dist loadgroup
	@# The example app has PostgreSQL tests but no MQTT or browser ones: require only what it has.
	cd examples/subcontract && LOOM_REQUIRE_SUITES="$${LOOM_REQUIRE_SUITES:+postgres}" ../../$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache

# Translations: collect every msgid of the kernel into messages.pot, then merge it into each
# catalogue: new msgids arrive untranslated (no fuzzy guesses, which the shell would ignore
# anyway), removed ones are kept as obsolete `#~` entries.
I18N_DIR := src/loom/kernel/web/translations
I18N_KEYWORDS := -k NavItem:1 -k Permission:2 -k _respond:4 -k NotAuthenticated -k PermissionDenied \
	-k NotFound -k Conflict -k ValidationFailed

.PHONY: i18n
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(I18N_KEYWORDS) --add-comments=TRANSLATORS: --sort-output \
		--project=Loom --copyright-holder="Loom contributors" -o $(I18N_DIR)/messages.pot src/loom/kernel
	$(BIN)/pybabel update --no-fuzzy-matching -i $(I18N_DIR)/messages.pot -d $(I18N_DIR) -l zh_CN
	$(BIN)/pybabel update --no-fuzzy-matching -i $(I18N_DIR)/messages.pot -d $(I18N_DIR) -l en
