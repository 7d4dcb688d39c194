# Build, install, test and benchmark the Rust Dokku.
#
#   make deps       install and start what the tests need (root)
#   make install    build the release binary and install it with the dokku
#                   user, its directories and the core plugin metadata
#   make uninstall  remove what install put in place, keeping app data
#   make demo       the README's main job: create an app and show its report
#   make test       every test (needs a running Docker engine)
#   make bench      command latency table (docs/benchmarks.md)

PREFIX        ?= /usr
DOKKU_USER    ?= dokku
DOKKU_ROOT    ?= /home/$(DOKKU_USER)
DOKKU_LIB_ROOT ?= /var/lib/dokku
DOKKU_LOGS_DIR ?= /var/log/dokku
CARGO         ?= cargo
VERSION       := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
BIN           := target/release/dokku
DEMO_APP      ?= demo-app

.PHONY: all deps build install uninstall demo test lint bench clean

all: build

deps:
	bash tests/setup-host.sh

build:
	$(CARGO) build --release --locked -p dokku-cli

install: build
	getent group $(DOKKU_USER) >/dev/null || groupadd --system $(DOKKU_USER)
	id -u $(DOKKU_USER) >/dev/null 2>&1 || useradd --system --gid $(DOKKU_USER) --home-dir $(DOKKU_ROOT) --create-home --shell /bin/bash $(DOKKU_USER)
	install -d -m 0755 -o $(DOKKU_USER) -g $(DOKKU_USER) $(DOKKU_ROOT)
	install -d -m 0755 $(DOKKU_LIB_ROOT)
	install -d -m 0755 -o $(DOKKU_USER) -g $(DOKKU_USER) $(DOKKU_LIB_ROOT)/config $(DOKKU_LIB_ROOT)/data $(DOKKU_LOGS_DIR)
	install -d -m 0755 $(DOKKU_LIB_ROOT)/plugins/available $(DOKKU_LIB_ROOT)/plugins/enabled
	install -d -m 0755 $(DOKKU_LIB_ROOT)/core-plugins/available $(DOKKU_LIB_ROOT)/core-plugins/enabled
	install -m 0755 $(BIN) $(PREFIX)/bin/dokku.new
	mv -f $(PREFIX)/bin/dokku.new $(PREFIX)/bin/dokku
	ln -sfn dokku $(PREFIX)/bin/plugn
	printf '%s\n' "$(VERSION)" > $(DOKKU_LIB_ROOT)/VERSION
	printf '%s\n' "$(VERSION)" > $(DOKKU_LIB_ROOT)/STABLE_VERSION
	DOKKU_ROOT=$(DOKKU_ROOT) DOKKU_LIB_ROOT=$(DOKKU_LIB_ROOT) $(PREFIX)/bin/dokku plugin:install --core
	@echo "dokku $(VERSION) installed: $(PREFIX)/bin/dokku"

uninstall:
	rm -f $(PREFIX)/bin/dokku $(PREFIX)/bin/plugn
	for p in $(DOKKU_LIB_ROOT)/plugins/enabled/* $(DOKKU_LIB_ROOT)/plugins/available/*; do \
	  if [ -L "$$p" ] && readlink -f "$$p" | grep -q "^$(DOKKU_LIB_ROOT)/core-plugins/"; then rm -f "$$p"; fi; \
	done
	rm -rf $(DOKKU_LIB_ROOT)/core-plugins
	rm -f $(DOKKU_LIB_ROOT)/VERSION $(DOKKU_LIB_ROOT)/STABLE_VERSION
	@echo "dokku removed; app data kept in $(DOKKU_ROOT) and $(DOKKU_LIB_ROOT)"

demo: install
	dokku apps:exists $(DEMO_APP) 2>/dev/null || dokku apps:create $(DEMO_APP)
	dokku apps:report $(DEMO_APP)

test:
	$(CARGO) test --workspace --locked

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

bench:
	$(CARGO) build --release --locked -p dokku-cli -p dokku-bench
	target/release/dokku-bench --binary $(BIN) --output docs/benchmarks.md

clean:
	$(CARGO) clean
