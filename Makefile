# Two commands do all the set-up: `make run` and `make test`.
# Both install the exact versions (and hashes) of requirements-dev.lock; `make lock` after a
# change of dependencies in pyproject.toml, `make lock-upgrade` to move every pin forward.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
LOCK_VENV := .venv-lock
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: install run test lint bench clean lock lock-upgrade

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Re-installs whenever the lock or pyproject.toml changes.
$(STAMP): $(BIN)/python pyproject.toml $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "The lock misses what pyproject.toml asks for: run 'make lock'."; exit 1; }
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/hoibot

# One worker per core (pytest-xdist); a single file runs faster alone: .venv/bin/python -m pytest.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

# ruff; the architecture's contracts (.importlinter: the core imports no Telegram, the layers
# hoibot -> handlers -> bot.tg -> core); mypy (strict on the core, see pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check bot handlers hoibot emulator tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/search.py
	$(BIN)/python bench/broadcast.py

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet "pip-tools>=7.4"

# Pins what pyproject.toml newly asks for and keeps every other pin; the runtime lock
# (Dockerfile) takes the same versions as the development lock.
lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) --extra dev -o $(DEV_LOCK) pyproject.toml
	$(PIP_COMPILE) -c $(DEV_LOCK) -o $(LOCK) pyproject.toml

lock-upgrade: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) --upgrade --extra dev -o $(DEV_LOCK) pyproject.toml
	$(PIP_COMPILE) -c $(DEV_LOCK) -o $(LOCK) pyproject.toml

clean:
	rm -rf $(VENV) $(LOCK_VENV) build *.egg-info
