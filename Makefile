# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
LOCALES_DIR := translations
export PYTHONDONTWRITEBYTECODE := 1

WEB_WORKERS ?= 2
DISPATCHERS ?= 2

.PHONY: run run-prod-local test install translations i18n-update i18n-check db demo bench lint clean

run: install translations ## Set up and start the portal and the scheduler (SQLite, demo data)
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo
	@echo "  Portal:          http://$(HOST):$(PORT)/"
	@echo "  Messages sent:   http://$(HOST):$(PORT)/dev/outbox"
	@$(FLASK) demo sign-ins | sed 's/^/  /'
	@echo "  Press Ctrl-C to stop the web app and the scheduler."
	@echo
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' INT TERM; \
	  $(PY) -m jobs & \
	  $(FLASK) run --host $(HOST) --port $(PORT) & \
	  wait

run-prod-local: install translations ## The production profile on loopback (docs/deploy.md)
	$(PY) -m deploy.run_local --web-workers $(WEB_WORKERS) --dispatchers $(DISPATCHERS)

test: install translations ## Set up and run the whole test suite
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

translations: install ## Compile every catalog (.po -> .mo)
	@for po in $(LOCALES_DIR)/*/LC_MESSAGES/*.po; do \
	  [ -e "$$po" ] || continue; \
	  mo="$${po%.po}.mo"; \
	  if [ ! -e "$$mo" ] || [ "$$po" -nt "$$mo" ]; then \
	    $(BIN)/pybabel --quiet compile -i "$$po" -o "$$mo" >/dev/null || exit 1; \
	  fi; \
	done

i18n-update: install ## Extract every gettext domain and merge new ids into every catalog
	$(FLASK) translations update

i18n-check: install translations ## Check every catalog is complete and current
	$(PY) -m pytest -q tests/i18n

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

bench: install translations ## Benchmarks (not tests): see bench/README.md
	$(PY) -m bench

lint: install
	$(BIN)/ruff check portal jobs tests bench deploy

clean:
	rm -rf $(VENV) instance .pytest_cache $(LOCALES_DIR)/*/LC_MESSAGES/*.mo
