# 阳光政务 — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/yangguang
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint system-deps pg-up bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m yangguang migrate --noinput
	$(PY) -m yangguang createcachetable
	$(PY) -m yangguang load-demo --if-empty
	$(PY) -m yangguang search-reindex --if-needed
	$(PY) -m yangguang collectstatic --noinput -v0
	$(PY) -m yangguang serve --host $(HOST) --port $(PORT)

# What the browser tests need: Debian chromium and a CJK font (root on CI machines).
system-deps:
	@if ! command -v chromium >/dev/null || ! fc-list | grep -qiE 'wqy|noto sans cjk'; then \
	  echo "安装 chromium 与中文字体 …"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

# The PostgreSQL server of the machine (127.0.0.1:5432, trust auth); started if it is down.
pg-up:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL 未能启动"; exit 1

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test-sqlite: $(STAMP) system-deps
	YANGGUANG_VAR_DIR=$(CURDIR)/var/test-sqlite $(VENV)/bin/pytest

test-postgres: $(STAMP) system-deps pg-up
	YANGGUANG_VAR_DIR=$(CURDIR)/var/test-postgres YANGGUANG_DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest

test: lint test-sqlite test-postgres

bench: $(STAMP)
	$(PY) bench/generate.py
	$(PY) bench/import_bench.py --backend both

clean:
	rm -rf $(VENV) var *.egg-info
