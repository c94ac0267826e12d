# Minutebook: `make site` builds the example site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve check lint test-tools system-packages clean bench

site: $(STAMP) system-packages
	$(BIN)/python build.py
	@echo ""
	@echo "The site is in output/. To view it with live reload while you edit: make serve"
	@echo "(or serve output/ with any static web server, e.g. $(BIN)/python -m http.server -d output 8000)"

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

check: $(STAMP)
	$(BIN)/python build.py check

serve: $(STAMP) system-packages
	$(BIN)/python build.py serve

lint: $(STAMP)
	$(BIN)/ruff check minutebook tests bench build.py
	$(BIN)/mypy minutebook

test-tools: $(STAMP)
	bash tests/tools/install.sh

# Pango, HarfBuzz and fonts from Debian, for the agenda packs' PDFs (WeasyPrint).
system-packages:
	bash tests/tools/system-packages.sh

test: $(STAMP) system-packages test-tools lint
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) output .minutebook-cache
