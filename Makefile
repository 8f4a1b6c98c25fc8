# madoguchi: `make run` starts the demo site, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BUILD_STAMP := $(VENV)/.build-stamp
DEMO   ?= .demo

.PHONY: run test lint bench soak clean demo-reset dist dist-check linux-libraries windows-check \
	translations translations-extract

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The system libraries Qt's windows need on Linux (build/linux-libraries.txt): installed
# with apt-get when run as root, named precisely otherwise. Nothing on Windows or macOS.
linux-libraries:
	@sh build/linux-libraries.sh

# The translation catalogs (resources/locale/<locale>/LC_MESSAGES/madoguchi.po, edited by
# translators) compiled to the .mo files the program reads (build output, not committed).
LOCALE := resources/locale
PO := $(wildcard $(LOCALE)/*/LC_MESSAGES/madoguchi.po)
translations: $(STAMP) $(PO:.po=.mo)
%.mo: %.po
	$(BIN)/pybabel -q compile -D madoguchi -i $< -o $@

# Collects every text to translate into madoguchi.pot (tr()/ntr() calls, the catalog's
# names, the windows' pair tables of build/babel.cfg) and merges it into each catalog.
translations-extract: $(STAMP)
	PYTHONPATH=build $(BIN)/pybabel -q extract -F build/babel.cfg --no-default-keywords \
		-k tr:2c,3 -k ntr:2c,3,4 -k Msg:1c,2 -k pgettext:1c,2 --add-comments=TRANSLATORS: \
		--sort-by-file --no-wrap --project madoguchi --omit-header -o $(LOCALE)/madoguchi.pot .
	$(BIN)/pybabel -q update -D madoguchi -i $(LOCALE)/madoguchi.pot -d $(LOCALE) \
		--no-wrap --ignore-obsolete --no-fuzzy-matching

run: $(STAMP) linux-libraries translations
	$(BIN)/madoguchi demo --data-dir $(DEMO) --keep --windows

# The demo windows on a real X server (its own Xvfb): a screenshot of every role's window,
# failing if one is missing or blank (tests/desktop). The PNGs are left in $(SHOTS).
SHOTS ?= out/windows
windows-check: $(STAMP) linux-libraries translations
	$(BIN)/python -m tests.desktop --out $(SHOTS)

demo-reset:
	rm -rf $(DEMO)

lint: $(STAMP)
	$(BIN)/ruff check app db ui tests
	$(BIN)/ruff format --check app db ui tests
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) lint translations
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: $(STAMP) translations
	$(BIN)/python -m tests.bench

# The long run of the randomized multi-PC fault harness (tests/faults/harness.py), then
# schedules through the simulated Windows share with Windows' own caches (FUSE: fuse3).
SCHEDULES ?= 200
SMB_SCHEDULES ?= 40
soak: $(STAMP) translations
	$(BIN)/python -m tests.faults.harness --schedules $(SCHEDULES)
	$(BIN)/python -m tests.faults.harness --schedules $(SMB_SCHEDULES) --smb
	$(BIN)/python -m tests.faults.harness --schedules $(SMB_SCHEDULES) --smb --time-step 2

# The PyInstaller bundle of this platform (Windows: build it on Windows, README.md).
# Its work folder and output stay out of build/: .pyinstaller/ and dist/madoguchi/.
$(BUILD_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[build,escpos]'
	touch $(BUILD_STAMP)

dist: $(BUILD_STAMP) translations
	$(BIN)/pyinstaller build/madoguchi.spec --workpath .pyinstaller --distpath dist \
		--noconfirm --log-level WARN
	@du -sh dist/madoguchi

# Builds the bundle and runs its smoke check (temporary site, every role's window offscreen).
dist-check: dist
	QT_QPA_PLATFORM=offscreen dist/madoguchi/madoguchi --smoke
	dist/madoguchi/madoguchi-cli --version
	# Every command module is in the bundle (the CLI loads them by name): one command each.
	for command in $$($(BIN)/python -c "from app.cli.main import _GROUPS; \
			print(' '.join(words.split()[0] for _, words in _GROUPS))"); do \
		dist/madoguchi/madoguchi-cli $$command --help >/dev/null || exit 1; done

clean:
	rm -rf $(VENV) .pyinstaller dist .mypy_cache .ruff_cache
