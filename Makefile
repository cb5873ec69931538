# Two commands: `make run` and `make test`. Everything else is a helper.
PRESET ?= release
DATA_DIR ?= var
LISTEN ?= 127.0.0.1:8080

.PHONY: deps build run cluster test test-release test-asan bench clean

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

bench: build
	bench/run.sh build/$(PRESET)
	bench/recommend.sh build/$(PRESET)
	bench/profile.sh build/$(PRESET)
	bench/notify.sh build/$(PRESET)

clean:
	rm -rf build
