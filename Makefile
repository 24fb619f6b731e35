# Two commands for a fresh machine (see README):
#   make serve   build the sample site and serve it on http://127.0.0.1:8000/xxgk/ (the sub-path of site_url);
#                PORT=8080 for another port (the next free one is taken when it is in use)
#   make test    run every test (installs what the tests need first)
#   make test-fast   every test that needs neither a browser nor a full site build, but the few
#                long property tests (markers browser, build, slow: tests/conftest.py), on every
#                core (pytest-xdist); the loop while changing code
#   make properdocs  build the sample with ProperDocs, the MkDocs 1.6 fork (the way out)
#   make cms     install the web editor (Decap CMS, pinned in cms/package-lock.json) that the build
#                copies to /admin/ of a site whose catalog/site.yml has `cms`; never committed
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: install serve build test test-fast check fields properdocs cms clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

# the preview server (hooks/mkdocs_preview): drafts shown with a banner, problems shown in the
# browser, each save rebuilds only what it changes; `make build` is the publish
serve: $(STAMP)
	PYTHONPATH=hooks $(BIN)/python -m mkdocs_preview --port $(PORT)

# a full clean build; `make build CACHE=.cache/gongkai` keeps converted pages and the guards'
# clean verdicts in that folder for the next build (GONGKAI_CACHE, see gongkai/render/build_cache.py)
build: $(STAMP)
	$(if $(CACHE),GONGKAI_CACHE='$(CACHE)' )$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/gongkai check

fields: $(STAMP)
	$(BIN)/gongkai fields

# The browser tests drive Debian's Chromium (never a browser download) and need
# a CJK font to lay out Chinese text; pdftotext cross-checks PDF attachments' text;
# tests/test_serve_nginx.py serves the site with Debian's nginx and the configuration
# `gongkai serve-config nginx` writes. Installed only when missing (CI runs as root).
BROWSER_DEPS := /usr/bin/chromium /usr/bin/pdftotext /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/sbin/nginx
$(BROWSER_DEPS) &:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-noto-cjk nginx

# ProperDocs replaces MkDocs in an environment of its own (the two cannot share one: ProperDocs
# answers imports of `mkdocs` there). The project is installed as usual, then MkDocs swapped out.
# tests/test_properdocs.py builds the sample with it.
PD_VENV  := .venv-properdocs
PD_STAMP := $(PD_VENV)/.installed
$(PD_STAMP): pyproject.toml
	$(PYTHON) -m venv $(PD_VENV)
	$(PD_VENV)/bin/pip install --quiet --upgrade pip
	$(PD_VENV)/bin/pip install --quiet -e .
	$(PD_VENV)/bin/pip uninstall --quiet -y mkdocs
	$(PD_VENV)/bin/pip install --quiet 'properdocs>=1.6,<2'
	touch $(PD_STAMP)

properdocs: $(STAMP) $(PD_STAMP)
	DISABLE_MKDOCS_2_WARNING=true $(PD_VENV)/bin/properdocs build --strict -f mkdocs.yml

# es-check (tests/test_scripts_es5.py), pinned by tests/js/package-lock.json
JS_STAMP := tests/js/node_modules/.package-lock.json
$(JS_STAMP): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund


CMS_STAMP := cms/node_modules/.installed

$(CMS_STAMP): cms/package-lock.json
	cd cms && npm ci --ignore-scripts --no-audit --no-fund
	touch $(CMS_STAMP)

cms: $(CMS_STAMP)

test: $(STAMP) $(PD_STAMP) $(BROWSER_DEPS) $(JS_STAMP) $(CMS_STAMP)
	$(BIN)/python -m pytest -q

# PYTHONDONTWRITEBYTECODE emptied: each xdist worker would otherwise compile every module and
# rewrite every test file's asserts again on every run (about 2.5 s of CPU a worker)
test-fast: $(STAMP) $(JS_STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -m "not browser and not build and not slow" -n auto --dist loadfile

clean:
	rm -rf site $(VENV) $(PD_VENV) cms/node_modules
