# fuzz.mk - libFuzzer harnesses (fuzz/*.c) and their replay drivers.
#
#   make fuzz                 build every harness with clang and run each for
#                             FUZZ_SECONDS (default 60); `make -j2 fuzz` runs
#                             two at a time. Crashes go to fuzz/crashes/NAME/
#                             and stop make; FUZZ_FLAGS adds libFuzzer flags.
#   make fuzz-NAME            build and run one (compile, load, classify, batch,
#                             relax)
#   make fuzz-build           only build the harnesses (build-fuzz/fuzz_NAME)
#   make fuzz-replay          build the replay drivers with the normal $(CC)
#                             (no libFuzzer) and feed them every seed and
#                             crash; `make test` and `make asan` build them and
#                             tests/e2e/fuzz_replay.sh runs them.
#
# The harnesses link the engine and cli/batch_*.c compiled by clang with
# -fsanitize=fuzzer-no-link,address,undefined into build-fuzz/. They need
# clang-14 and libclang-rt-14-dev (the libFuzzer runtime).

FUZZ_CC      ?= $(shell command -v clang-14 2>/dev/null || echo clang)
FUZZ_DIR     ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_NAMES   := compile load classify batch relax
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Iengine -Icli \
                $(PKG_CFLAGS) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)

# Longest input per harness: rule files and complaints stay small so the
# fuzzer mutates structure, not bulk; a seed table is a few dozen KB.
FUZZ_MAXLEN_compile  := 4096
FUZZ_MAXLEN_load     := 65536
FUZZ_MAXLEN_classify := 4096
FUZZ_MAXLEN_batch    := 4096
FUZZ_MAXLEN_relax    := 512

FUZZ_ENGINE_OBJ := $(ENGINE_SRC:%.c=$(FUZZ_DIR)/%.o) \
                   $(patsubst $(BUILD)/gen/%.c,$(FUZZ_DIR)/gen/%.o,$(GEN_SRC))
FUZZ_BATCH_SRC  := $(sort $(wildcard cli/batch_*.c))
FUZZ_BATCH_OBJ  := $(FUZZ_BATCH_SRC:%.c=$(FUZZ_DIR)/%.o)
FUZZ_BIN        := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)

# Replay drivers: plain $(CC), the normal (or ASan) library and batch objects.
REPLAY_BIN       := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
REPLAY_BATCH_OBJ := $(FUZZ_BATCH_SRC:%.c=$(BUILD)/%.o)
# Seed tables for fuzz_load: compiled from fuzz/seed_rules/*.yaml by this
# build (a .tdb is a per-platform artefact), plus truncated copies.
FUZZ_SEED_RULES  := $(sort $(wildcard fuzz/seed_rules/*.yaml))
FUZZ_LOAD_SEEDS  := $(BUILD)/fuzz/seeds/load

.PHONY: fuzz fuzz-build fuzz-replay fuzz-replay-build fuzz-clean \
        $(FUZZ_NAMES:%=fuzz-%)

fuzz: $(FUZZ_NAMES:%=fuzz-%)

fuzz-build: $(FUZZ_BIN)

$(FUZZ_DIR)/engine/%.o: engine/%.c include/triage.h $(wildcard engine/*.h)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/cli/%.o: cli/%.c include/triage.h $(wildcard cli/batch_*.h)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/libfuzztriage.a: $(FUZZ_ENGINE_OBJ) $(FUZZ_BATCH_OBJ)
	@rm -f $@
	@ar rcs $@ $^

FUZZ_HDRS := include/triage.h cli/batch_input.h $(wildcard fuzz/*.h)

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_HDRS) $(FUZZ_DIR)/libfuzztriage.a
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_DIR)/libfuzztriage.a $(LDLIBS)

# Made in a folder of its own and renamed into place, so two makes run
# side by side (make fuzz-load & make fuzz-batch) never see half of it.
$(FUZZ_LOAD_SEEDS)/.stamp: $(FUZZ_SEED_RULES) $(BUILD)/triage
	@mkdir -p $(dir $(@D))
	@tmp=$$(mktemp -d $(@D).XXXXXX) || exit 1; \
	for f in $(FUZZ_SEED_RULES); do \
	    b=$$tmp/$$(basename $$f .yaml); \
	    $(BUILD)/triage compile -q $$f -o $$b.tdb >/dev/null 2>&1 || \
	        { echo "fuzz: cannot compile $$f" >&2; rm -rf $$tmp; exit 1; }; \
	    n=$$(wc -c < $$b.tdb); \
	    for k in 8 111 112 200 $$((n / 2)) $$((n - 9)) $$((n - 1)); do \
	        head -c $$k $$b.tdb > $$b.cut$$k; \
	    done; \
	done; \
	touch $$tmp/.stamp && rm -rf $(@D) && { mv -T $$tmp $(@D) 2>/dev/null || rm -rf $$tmp; }

# One run: new inputs go to build-fuzz/corpus/NAME, seeds are read from
# fuzz/corpus/NAME (and the generated tables for load).
$(FUZZ_NAMES:%=fuzz-%): fuzz-%: $(FUZZ_DIR)/fuzz_% $(FUZZ_LOAD_SEEDS)/.stamp
	@mkdir -p $(FUZZ_DIR)/corpus/$* fuzz/corpus/$* fuzz/crashes/$*
	$(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=$(FUZZ_MAXLEN_$*) -timeout=20 -rss_limit_mb=2560 \
	    -print_final_stats=1 \
	    $(if $(wildcard fuzz/$*.dict),-dict=fuzz/$*.dict) \
	    -artifact_prefix=fuzz/crashes/$*/ $(FUZZ_FLAGS) \
	    $(FUZZ_DIR)/corpus/$* fuzz/corpus/$* fuzz/crashes/$* \
	    $(if $(filter load,$*),$(FUZZ_LOAD_SEEDS))

$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_HDRS) \
                        $(BUILD)/libtriage.a $(REPLAY_BATCH_OBJ)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) -Icli -o $@ fuzz/replay.c $< $(REPLAY_BATCH_OBJ) \
	    $(BUILD)/libtriage.a $(LDLIBS)

fuzz-replay-build: $(REPLAY_BIN) $(FUZZ_LOAD_SEEDS)/.stamp

# Every seed and every saved crash, once, through the normal build.
fuzz-replay: fuzz-replay-build
	@for n in $(FUZZ_NAMES); do \
	    extra=; [ $$n = load ] && extra=$(FUZZ_LOAD_SEEDS); \
	    $(BUILD)/fuzz/replay_$$n fuzz/corpus/$$n fuzz/crashes/$$n $$extra \
	        2>$(BUILD)/fuzz/replay_$$n.log || \
	        { tail -n 30 $(BUILD)/fuzz/replay_$$n.log; exit 1; }; \
	done

# `make test` (and so `make asan`) builds the replay drivers; the e2e
# script tests/e2e/fuzz_replay.sh runs them.
test: fuzz-replay-build

fuzz-clean:
	rm -rf $(FUZZ_DIR)

clean: fuzz-clean
