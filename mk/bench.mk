# `make bench`: engine throughput against raw Vectorscan, naive PCRE2 and
# YARA on generated records and rule sets (bench/), plus the batch path.
# Needs libyara-dev (apt-get install -y libyara-dev).
BENCH_DIR  := $(BUILD)/bench
BENCH_BIN  := $(BENCH_DIR)/bench
BENCH_LIBS := $(shell pkg-config --libs yara 2>/dev/null || echo -lyara)
BENCH_ARGS ?=

$(BENCH_BIN): bench/bench.c bench/gen.c bench/gen.h $(BUILD)/libtriage.a include/triage.h
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) -Ibench -o $@ bench/bench.c bench/gen.c \
	    $(BUILD)/libtriage.a $(BENCH_LIBS) $(LDLIBS)

bench: $(BENCH_BIN) $(BUILD)/triage
	$(BENCH_BIN) --out $(BENCH_DIR) --triage $(BUILD)/triage $(BENCH_ARGS)
