# The two commands of the README: `make run` and `make test`. Both set everything up
# first (idempotently: a second run with nothing changed takes seconds).
APP_PY := .venvs/app/bin/python
PYTEST_ARGS ?=

.PHONY: run test setup setup-app setup-rasa setup-browser train lint format lock e2e clean

run: setup
	$(APP_PY) -m launcher run

test: setup setup-browser
	$(APP_PY) -m launcher train >/dev/null
	$(APP_PY) -m pytest $(PYTEST_ARGS)

setup: setup-app setup-rasa

setup-app:
	@scripts/setup_env.sh app

setup-rasa:
	@scripts/setup_env.sh rasa

setup-browser:
	@scripts/ensure_chromium.sh

train: setup
	$(APP_PY) -m launcher train

lint: setup-app
	$(APP_PY) -m ruff check .
	$(APP_PY) -m ruff format --check .

format: setup-app
	$(APP_PY) -m ruff format .
	$(APP_PY) -m ruff check --fix .

e2e: setup setup-browser
	$(APP_PY) -m pytest -m "e2e or browser" $(PYTEST_ARGS)

lock:
	scripts/lock.sh

clean:
	rm -rf var .pytest_cache .ruff_cache
