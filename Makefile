# madoguchi: `make run` starts the demo site, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BUILD_STAMP := $(VENV)/.build-stamp
DEMO   ?= .demo

.PHONY: run test lint bench soak clean demo-reset dist dist-check linux-libraries windows-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The system libraries Qt's windows need on Linux (build/linux-libraries.txt): installed
# with apt-get when run as root, named precisely otherwise. Nothing on Windows or macOS.
linux-libraries:
	@sh build/linux-libraries.sh

run: $(STAMP) linux-libraries
	$(BIN)/madoguchi demo --data-dir $(DEMO) --keep --windows

# The demo windows on a real X server (its own Xvfb): a screenshot of every role's window,
# failing if one is missing or blank (tests/desktop). The PNGs are left in $(SHOTS).
SHOTS ?= out/windows
windows-check: $(STAMP) linux-libraries
	$(BIN)/python -m tests.desktop --out $(SHOTS)

demo-reset:
	rm -rf $(DEMO)

lint: $(STAMP)
	$(BIN)/ruff check app db ui tests
	$(BIN)/ruff format --check app db ui tests
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m tests.bench

# The long run of the randomized multi-PC fault harness (tests/faults/harness.py), then
# schedules through the simulated Windows share with Windows' own caches (FUSE: fuse3).
SCHEDULES ?= 200
SMB_SCHEDULES ?= 40
soak: $(STAMP)
	$(BIN)/python -m tests.faults.harness --schedules $(SCHEDULES)
	$(BIN)/python -m tests.faults.harness --schedules $(SMB_SCHEDULES) --smb
	$(BIN)/python -m tests.faults.harness --schedules $(SMB_SCHEDULES) --smb --time-step 2

# The PyInstaller bundle of this platform (Windows: build it on Windows, README.md).
# Its work folder and output stay out of build/: .pyinstaller/ and dist/madoguchi/.
$(BUILD_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[build,escpos]'
	touch $(BUILD_STAMP)

dist: $(BUILD_STAMP)
	$(BIN)/pyinstaller build/madoguchi.spec --workpath .pyinstaller --distpath dist \
		--noconfirm --log-level WARN
	@du -sh dist/madoguchi

# Builds the bundle and runs its smoke check (temporary site, every role's window offscreen).
dist-check: dist
	QT_QPA_PLATFORM=offscreen dist/madoguchi/madoguchi --smoke
	dist/madoguchi/madoguchi-cli --version

clean:
	rm -rf $(VENV) .pyinstaller dist .mypy_cache .ruff_cache
