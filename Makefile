# Two commands on a fresh machine:  `make run` (set up + build the bundled corpus) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The CPU build of PyTorch; a bare 'torch' requirement would pull several GB of CUDA packages.
TORCH ?= torch==2.13.0
# pytest-xdist workers for `make test` ("auto": one per core).
WORKERS ?= auto

.PHONY: setup run test test-fast lint bench clean site-screenshots doc-images

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

run: setup
	$(VENV)/bin/kb build

# Everything, in parallel. --dist loadfile keeps the tests of a file on one worker (module
# fixtures run once); the workers share each corpus build through a file lock
# (tests/acceptance/conftest.py), so each is made once. (Not loadgroup: with pytest 9.2 and
# pytest-xdist 3.8 it silently stops grouping, pytest-xdist issue #1386.)
test: setup
	$(PY) -m pytest -q -n $(WORKERS) --dist loadfile

# The unit tests, in parallel: tiny invented inputs, no corpus build (the loop while coding).
test-fast: setup
	$(PY) -m pytest -q -n $(WORKERS) tests/unit

# Style, types and the import rules between packages (docs/architecture.md).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy kb generator
	$(VENV)/bin/lint-imports --no-cache

# Screenshots of every page type at 1280 and 390 px into docs/img/site/ (shown on the page
# "Schermafbeeldingen"), taken by the accessibility browser test against `kb serve`.
site-screenshots: setup
	KB_SITE_SCREENSHOTS=$(CURDIR)/docs/img/site $(PY) -m pytest -q -p no:cacheprovider \
		tests/acceptance/test_site_accessibility.py

# Page 1 of each Word document type as PNG for docs/documenten.md (needs LibreOffice).
doc-images: setup
	d=$$(mktemp -d) && $(VENV)/bin/kb build --graph-only --build-dir $$d && $(PY) -m generator.docx.images --build-dir $$d docs/img/word; s=$$?; rm -rf $$d; exit $$s

bench: setup
	$(PY) benchmarks/bench_build.py

clean:
	rm -rf build
