# Build, install, test and benchmark the Rust Dokku.
#
#   make deps       install and start what the tests need (root)
#   make install    build the release binary and install it with the dokku
#                   user, its directories and the core plugin metadata
#   make uninstall  remove what install put in place, keeping app data
#   make deb        build the release binary and package it as a .deb in
#                   target/debian (debian/build-deb.sh; see debian/README.md)
#   make demo       the README's main job: deploy the bundled sample app by
#                   git push and show where it answers
#   make test       every test (needs a running Docker engine)
#   make bench      command latency and deploy overhead (docs/benchmarks.md)

PREFIX        ?= /usr
DOKKU_USER    ?= dokku
DOKKU_ROOT    ?= /home/$(DOKKU_USER)
DOKKU_LIB_ROOT ?= /var/lib/dokku
DOKKU_LOGS_DIR ?= /var/log/dokku
CARGO         ?= cargo
VERSION       := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
BIN           := target/release/dokku
DEMO_APP      ?= demo-app
DEB_DIR       ?= target/debian
SYSTEMD_DIR   ?= /etc/systemd/system
NGINX_CONF_DIR ?= /etc/nginx/conf.d
NGINX_BIN     ?= /usr/sbin/nginx

.PHONY: all deps build install uninstall deb demo test lint bench clean

all: build

deps:
	bash tests/setup-host.sh

build:
	$(CARGO) build --release --locked -p dokku-cli -p dokku-storage

# The user is made as sshcommand makes it on Debian (adduser: a regular
# user with its own group and home), else as a system user.
install: build
	if ! id -u $(DOKKU_USER) >/dev/null 2>&1; then \
	  if command -v adduser >/dev/null; then \
	    if getent group $(DOKKU_USER) >/dev/null; then ingroup="--ingroup $(DOKKU_USER)"; else ingroup=; fi; \
	    adduser --disabled-password --gecos "" --home $(DOKKU_ROOT) --shell /bin/bash $$ingroup $(DOKKU_USER) >/dev/null; \
	  else \
	    getent group $(DOKKU_USER) >/dev/null || groupadd --system $(DOKKU_USER); \
	    useradd --system --gid $(DOKKU_USER) --home-dir $(DOKKU_ROOT) --create-home --shell /bin/bash $(DOKKU_USER); \
	  fi; \
	  usermod --password '*' $(DOKKU_USER); \
	fi
	getent group $(DOKKU_USER) >/dev/null || groupadd --system $(DOKKU_USER)
	getent group docker >/dev/null || groupadd docker
	usermod -aG docker $(DOKKU_USER)
	install -d -m 0755 -o $(DOKKU_USER) -g $(DOKKU_USER) $(DOKKU_ROOT)
	install -d -m 0755 $(DOKKU_LIB_ROOT)
	install -d -m 0755 -o $(DOKKU_USER) -g $(DOKKU_USER) $(DOKKU_LIB_ROOT)/config $(DOKKU_LIB_ROOT)/data $(DOKKU_LOGS_DIR)
	install -d -m 0755 $(DOKKU_LIB_ROOT)/plugins/available $(DOKKU_LIB_ROOT)/plugins/enabled
	install -d -m 0755 $(DOKKU_LIB_ROOT)/core-plugins/available $(DOKKU_LIB_ROOT)/core-plugins/enabled
	install -m 0755 $(BIN) $(PREFIX)/bin/dokku.new
	mv -f $(PREFIX)/bin/dokku.new $(PREFIX)/bin/dokku
	ln -sfn dokku $(PREFIX)/bin/plugn
	ln -sfn dokku $(PREFIX)/bin/sigil
	ln -sfn dokku $(PREFIX)/bin/docker-container-healthchecker
	install -m 0755 $(dir $(BIN))dokku-storage-helper $(PREFIX)/bin/dokku-storage-helper
	install -D -m 0644 contrib/completion/dokku.bash $(PREFIX)/share/bash-completion/completions/dokku
	install -D -m 0644 contrib/completion/_dokku $(PREFIX)/share/zsh/vendor-completions/_dokku
	install -d -m 0755 $(PREFIX)/share/man/man1
	gzip -9n < contrib/man/dokku.1 > $(PREFIX)/share/man/man1/dokku.1.gz
	chmod 0644 $(PREFIX)/share/man/man1/dokku.1.gz
	printf '%s\n' "$(VERSION)" > $(DOKKU_LIB_ROOT)/VERSION
	printf '%s\n' "$(VERSION)" > $(DOKKU_LIB_ROOT)/STABLE_VERSION
	if rev=$$(git rev-parse HEAD 2>/dev/null); then printf '%s\n' "$$rev" > $(DOKKU_LIB_ROOT)/GIT_REV; fi
	printf '%s\n' "$(PREFIX)/bin/dokku" > $(DOKKU_ROOT)/.sshcommand
	chown $(DOKKU_USER):$(DOKKU_USER) $(DOKKU_ROOT)/.sshcommand
	install -d -m 0700 -o $(DOKKU_USER) -g $(DOKKU_USER) $(DOKKU_ROOT)/.ssh
	install -d -m 0755 -o $(DOKKU_USER) -g $(DOKKU_USER) $(DOKKU_ROOT)/.dokkurc
	chown -R $(DOKKU_USER):$(DOKKU_USER) $(DOKKU_ROOT)/.dokkurc
	test -e $(DOKKU_ROOT)/.ssh/authorized_keys || install -m 0600 -o $(DOKKU_USER) -g $(DOKKU_USER) /dev/null $(DOKKU_ROOT)/.ssh/authorized_keys
	command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx)
	command -v openssl >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl)
	install -d -m 0755 $(NGINX_CONF_DIR)
	if [ ! -e $(NGINX_CONF_DIR)/00-default-vhost.conf ]; then \
	  rm -f /etc/nginx/sites-enabled/default; \
	  for f in /etc/nginx/sites-available/default $(NGINX_CONF_DIR)/default.conf; do \
	    if [ -e "$$f" ] && [ ! -L "$$f" ]; then mv -f "$$f" "$$f.dokku-disabled"; fi; \
	  done; \
	  install -m 0644 -o root -g root plugins/nginx-vhosts/templates/default-site.conf $(NGINX_CONF_DIR)/00-default-vhost.conf; \
	fi
	install -d -m 0750 /etc/sudoers.d
	DOKKU_ROOT=$(DOKKU_ROOT) DOKKU_LIB_ROOT=$(DOKKU_LIB_ROOT) $(PREFIX)/bin/dokku plugin:install --core
	if [ -d /run/systemd/system ]; then systemctl enable --now nginx && systemctl reload nginx; \
	elif [ -s /run/nginx.pid ] && kill -0 "$$(cat /run/nginx.pid)" 2>/dev/null; then $(NGINX_BIN) -s reload; \
	else $(NGINX_BIN); fi
	@echo "dokku $(VERSION) installed: $(PREFIX)/bin/dokku"

uninstall:
	rm -f $(PREFIX)/bin/dokku $(PREFIX)/bin/plugn $(PREFIX)/bin/sigil $(PREFIX)/bin/docker-container-healthchecker $(PREFIX)/bin/dokku-storage-helper
	rm -f $(PREFIX)/share/bash-completion/completions/dokku $(PREFIX)/share/zsh/vendor-completions/_dokku $(PREFIX)/share/man/man1/dokku.1.gz
	if [ -d /run/systemd/system ]; then systemctl disable dokku-redeploy.service 2>/dev/null || true; fi
	rm -f $(SYSTEMD_DIR)/dokku-redeploy.service /etc/update-motd.d/99-dokku
	for p in $(DOKKU_LIB_ROOT)/plugins/enabled/* $(DOKKU_LIB_ROOT)/plugins/available/*; do \
	  if [ -L "$$p" ] && readlink -f "$$p" | grep -q "^$(DOKKU_LIB_ROOT)/core-plugins/"; then rm -f "$$p"; fi; \
	done
	rm -rf $(DOKKU_LIB_ROOT)/core-plugins
	rm -f $(DOKKU_LIB_ROOT)/VERSION $(DOKKU_LIB_ROOT)/STABLE_VERSION $(DOKKU_LIB_ROOT)/GIT_REV
	rm -f $(NGINX_CONF_DIR)/dokku.conf $(NGINX_CONF_DIR)/00-default-vhost.conf /etc/sudoers.d/dokku-nginx /etc/sudoers.d/dokku-nginx-signal /etc/sudoers.d/dokku-storage /etc/sudoers.d/dokku-docker-container-healthchecker
	if [ -d /run/systemd/system ]; then systemctl disable --now dokku-retire.timer 2>/dev/null || true; fi
	if [ -d /run/systemd/system ]; then systemctl disable --now docker-builder-prune.timer 2>/dev/null || true; fi
	rm -f $(SYSTEMD_DIR)/dokku-retire.service $(SYSTEMD_DIR)/dokku-retire.timer /etc/cron.d/dokku-retire
	rm -f $(SYSTEMD_DIR)/docker-builder-prune.service $(SYSTEMD_DIR)/docker-builder-prune.timer /etc/cron.d/docker-builder-prune
	if [ -s /run/nginx.pid ] && kill -0 "$$(cat /run/nginx.pid)" 2>/dev/null; then $(NGINX_BIN) -t && $(NGINX_BIN) -s reload; fi
	@echo "dokku removed; app data kept in $(DOKKU_ROOT) and $(DOKKU_LIB_ROOT)"

deb: build
	bash debian/build-deb.sh $(BIN) $(DEB_DIR)

demo: install
	bash tests/apps/demo.sh $(DEMO_APP)

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
