# hooksig — every command CI and a developer need. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export CARGO_TERM_COLOR ?= never

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  make %-16s %s\n", $$1, $$2}'

.PHONY: deps
deps: ## Install missing system packages (apt, as root)
	bash scripts/install-deps.sh

.PHONY: demo
demo: ## Every scheme through the Python, Node (with Next.js), PHP (Symfony, Laravel, Slim, PHP-FPM over FFI and the extension), C#, Go and Ruby receivers (19), one checked table
	bash scripts/demo.sh

.PHONY: test-demo
test-demo: ## The demo table, using the bindings the test targets built
	bash scripts/demo.sh --built

.PHONY: test
test: deps lint test-rust test-vectors fuzz-smoke test-python test-node test-nextjs test-c test-php-ext dist-c dist-php dist-dotnet dist-node test-go test-ruby test-demo ## Run every test suite
	@echo "all test suites passed"

.PHONY: lint
lint: ## rustfmt, clippy (-D warnings), README snippets = tested example files, actionlint
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	python3 scripts/check-snippets.py README.md
	bash scripts/actionlint.sh

.PHONY: test-rust
test-rust: ## Rust unit, doc and vector tests (core and CLI)
	cargo test -p hooksig-core -p hooksig-cli

.PHONY: test-vectors
test-vectors: ## Re-check the shared vectors with Python's hmac and openssl
	bash scripts/python-env.sh >/dev/null
	build/venv/bin/python tests/vectors/check.py

.PHONY: fuzz-smoke
fuzz-smoke: ## Every fuzz target for 10 s from the checked-in corpus, plus the Node differential
	bash scripts/python-env.sh >/dev/null
	bash scripts/fuzz.sh 10

.PHONY: fuzz
fuzz: ## Longer fuzzing (FUZZ_SECONDS each, default 300)
	bash scripts/python-env.sh >/dev/null
	bash scripts/fuzz.sh $${FUZZ_SECONDS:-300}

.PHONY: ct
ct: ## dudect timing test of verify (Welch t; |t| < 4.5 = no leak detected)
	cargo run -q --release -p hooksig-core --example constant_time

.PHONY: test-python
test-python: ## Python wheel, Flask and FastAPI receivers
	bash bindings-python/test.sh

.PHONY: test-node
test-node: ## Node addon, Express and Fetch receivers
	bash bindings-node/test.sh

.PHONY: test-nextjs
test-nextjs: ## Next.js 15 (pinned): hooksig's npm tarballs, next build, tsc --strict, next start + the receiver table (App and Pages Router)
	bash scripts/test-nextjs.sh

.PHONY: test-c
test-c: ## C library (valgrind), PHP FFI and C# P/Invoke
	bash bindings-c/test.sh

.PHONY: test-php-ext
test-php-ext: ## Native PHP extension (hooksig.so, ext-php-rs): dist/ .so, same answers as FFI, the PHP suite again with it (CLI, php -S, PHP-FPM)
	bash bindings-php-ext/test.sh

.PHONY: test-go
test-go: ## Go cgo binding (static libhooksig.a): vectors, bad inputs, receiver table over HTTP, -race
	bash bindings-go/test.sh

.PHONY: test-ruby
test-ruby: ## Ruby gem (ffi): vectors, bad inputs, receiver table over HTTP (Sinatra, Rack), Redis guard, built and installed .gem
	bash bindings-ruby/test.sh

.PHONY: dist
dist: dist-python dist-c dist-php dist-php-ext dist-dotnet dist-node ## Every distributable artefact into dist/ (Python wheel and sdist, C archive, Composer zip, PHP extension, .nupkg, npm tarballs)
	@echo "dist/: every artefact built and checked"

.PHONY: dist-c
dist-c: ## libhooksig archive (lib, header, relocatable hooksig.pc) into dist/, tested unpacked without Rust
	bash scripts/dist-c.sh

.PHONY: dist-php
dist-php: ## Composer zip of bindings-php into dist/, required offline from dist/ (artifact repository) and tested without Rust against the C archive
	bash scripts/dist-php.sh

.PHONY: dist-php-ext
dist-php-ext: ## hooksig-php8.2-nts-x86_64-linux.so + hooksig.ini into dist/, loaded as installed
	bash scripts/dist-php-ext.sh

.PHONY: dist-node
dist-node: ## npm tarballs (hooksig + @hooksig/linux-x64-gnu, glibc 2.17 via zig) into dist/, installed offline and tested without Rust
	bash scripts/dist-node.sh

.PHONY: dist-dotnet
dist-dotnet: ## Hooksig.nupkg (Mono's nuget) into dist/, installed from a local feed and tested without Rust
	bash scripts/dist-dotnet.sh

.PHONY: clean-room-debian11
clean-room-debian11: ## The wheel and the npm tarballs (Node 20 copied in) in a debootstrapped Debian 11 (glibc 2.31), shared vectors (root; not in make test)
	bash scripts/clean-room-debian11.sh

.PHONY: install-c
install-c: ## Install libhooksig, hooksig.h and hooksig.pc into $(DESTDIR)$(PREFIX) (default /usr/local)
	cargo build --release -p hooksig-c
	PREFIX="$(or $(PREFIX),/usr/local)" DESTDIR="$(DESTDIR)" bash bindings-c/install.sh

.PHONY: dist-python
dist-python: ## Python manylinux2014 wheel + sdist into dist/: auditwheel, no-Rust install test, sdist build
	bash scripts/dist-python.sh

.PHONY: bench
bench: ## Every benchmark (criterion, C boundary, Python, Node, 100 MiB peak memory) → BENCHMARKS.md
	bash bench/run.sh

.PHONY: bench-forged
bench-forged: ## Forged ÷ valid request cost per scheme and binding, Chaindoc fallback time/memory → BENCHMARKS.md
	bash bench/forged/run.sh

.PHONY: load
load: ## Flask/FastAPI/Express receivers under wrk, hooksig vs stdlib hmac (5-9 min) → bench/load/RESULTS.md
	bash bench/load/run.sh
