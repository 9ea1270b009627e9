# Everything runs in a project virtual environment (.venv), so it works where pip refuses system installs (PEP 668).
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8501

$(VENV)/installed: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -r requirements.txt
	touch $@

run: $(VENV)/installed
	$(PYTHON) -m streamlit run dashboard.py --server.port $(PORT)

# installs Debian's chromium for the browser tests when missing (needs root, as on CI)
test: $(VENV)/installed
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	$(PYTHON) -m pytest

.PHONY: run test
