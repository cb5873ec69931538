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

# ThreadSanitizer over the storage, cluster, serving, notify and jobs tests
# (not part of `make test`: run before landing changes to threaded code).
test-tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan
	ctest --preset tsan

bench: build
	bench/run.sh build/$(PRESET)
	bench/recommend.sh build/$(PRESET)
	bench/profile.sh build/$(PRESET)
	bench/notify.sh build/$(PRESET)

clean:
	rm -rf build
