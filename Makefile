run:
	python3 -m pip install -q -r requirements.txt
	python3 -m streamlit run dashboard.py

# installs Debian's chromium for the browser tests when missing (needs root, as on CI)
test:
	python3 -m pip install -q -r requirements.txt
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	python3 -m pytest

.PHONY: run test
