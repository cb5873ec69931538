# Two commands: `make run` and `make test`. Everything else is a helper.
PRESET ?= release
DATA_DIR ?= var
LISTEN ?= 127.0.0.1:8080

.PHONY: deps build run cluster test test-release test-asan test-tsan bench clean

deps:
	@scripts/install-deps.sh

build: deps
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET)

run: build
	@scripts/run.sh build/$(PRESET)/src/app/tailor $(DATA_DIR) $(LISTEN)

# PostgreSQL and three nodes on loopback (docs/DEPLOYMENT.md).
cluster: build
	@scripts/cluster.sh build/$(PRESET)/src/app/tailor $(DATA_DIR)/cluster

test: deps test-release test-asan

test-release:
	cmake --preset release >/dev/null
	cmake --build --preset release
	ctest --preset release

test-asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan
	ctest --preset asan

# ThreadSanitizer over the serving, notify and cluster tests (the servers the
# cluster tests start are TSan builds too). Not part of `make test` (CI's
# 60-minute budget); run before landing. Every report, from a test binary or
# a server it started, lands in build/tsan/reports/ and fails the target.
test-tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan
	rm -rf build/tsan/reports && mkdir -p build/tsan/reports
	ctest --preset tsan; status=$$?; \
	  if [ -n "$$(ls build/tsan/reports)" ]; then \
	    cat build/tsan/reports/*; echo "ThreadSanitizer reported races (build/tsan/reports)"; exit 1; fi; \
	  exit $$status

bench: build
	bench/run.sh build/$(PRESET)
	bench/recommend.sh build/$(PRESET)
	bench/profile.sh build/$(PRESET)
	bench/notify.sh build/$(PRESET)

clean:
	rm -rf build
