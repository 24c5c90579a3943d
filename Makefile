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

.PHONY: run run-prod-local test install lock upgrade node translations chatbot-model i18n-update i18n-check db demo bench lint clean

run: install translations chatbot-model ## Set up and start the portal and the scheduler (SQLite, demo data)
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

run-prod-local: install translations chatbot-model ## The production profile on loopback (docs/deploy.md)
	$(PY) -m deploy.run_local --web-workers $(WEB_WORKERS) --dispatchers $(DISPATCHERS)

# Two workers; worksteal hands a worker that runs dry tests queued on the other, so a few
# long tests (real processes, a browser) do not leave one core idle at the end. The suite
# starts dozens of Python processes (workers, dispatchers, gunicorn): bytecode is written.
test: install translations chatbot-model node lint ## Set up, lint and run the whole test suite
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

install: $(VENV)/.installed

# Exactly the versions in requirements.lock (checked against their hashes), then the
# project itself without resolving anything again: a fresh machine runs what was tested.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# The lock file: exact versions with hashes, from the ranges in pyproject.toml.
LOCK := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --extra dev -o requirements.lock pyproject.toml

lock: install ## Re-resolve requirements.lock after a change to pyproject.toml (keeps other pins)
	$(LOCK)

upgrade: install ## Move every pin to the newest release the ranges allow, reinstall, run the suite
	$(LOCK) --upgrade
	$(MAKE) install test

# npm packages the project pins in its own lock files: axe-core for the browser tests,
# Lighthouse for `make bench`. Never a downloaded browser: Debian's Chromium is used.
# Without npm the stamp is not made and the tests that need it skip (fail in CI).
NODE_TEST_DIR := tests/browser/node
LIGHTHOUSE_DIR := bench/lighthouse

node: $(NODE_TEST_DIR)/node_modules/.installed ## npm packages for the browser tests (axe-core)

%/node_modules/.installed: %/package.json %/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd $* && PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
	    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	elif [ -n "$$CI" ]; then echo "npm is needed for $* (install Debian's nodejs and npm)" >&2; exit 1; \
	else echo "npm not found: skipping $* (the tests that need it will skip)"; fi

translations: install ## Compile every catalog (.po -> .mo)
	@for po in $(LOCALES_DIR)/*/LC_MESSAGES/*.po; do \
	  [ -e "$$po" ] || continue; \
	  mo="$${po%.po}.mo"; \
	  if [ ! -e "$$mo" ] || [ "$$po" -nt "$$mo" ]; then \
	    $(BIN)/pybabel --quiet compile -i "$$po" -o "$$mo" >/dev/null || exit 1; \
	  fi; \
	done

# The chatbot's trained models (portal/chatbot/training.py), rebuilt when the corpus, the
# danger rules or the training code change; workers only read the file.
CHATBOT_MODEL := portal/chatbot/data/model/chatbot-model.npz
CHATBOT_SOURCES := $(wildcard portal/chatbot/data/corpus/*.txt portal/chatbot/data/danger/*.txt \
  portal/chatbot/data/other_languages/*.txt) $(addprefix portal/chatbot/,corpus.py danger.py \
  features.py text.py training.py)

chatbot-model: install $(CHATBOT_MODEL) ## Train the chatbot's models (seeded) into one file

$(CHATBOT_MODEL): $(CHATBOT_SOURCES)
	$(PY) -m portal.chatbot.build $@

i18n-update: install ## Extract every gettext domain and merge new ids into every catalog
	$(FLASK) translations update

i18n-check: install translations ## Check every catalog is complete and current
	$(PY) -m pytest -q tests/i18n

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

bench: install translations chatbot-model $(LIGHTHOUSE_DIR)/node_modules/.installed ## Benchmarks (not tests): see bench/README.md
	$(PY) -m bench

lint: install ## ruff, with the rules in pyproject.toml (part of `make test`)
	$(BIN)/ruff check portal jobs tests bench deploy

clean:
	rm -rf $(VENV) instance .pytest_cache $(LOCALES_DIR)/*/LC_MESSAGES/*.mo $(CHATBOT_MODEL) \
	  $(NODE_TEST_DIR)/node_modules $(LIGHTHOUSE_DIR)/node_modules
