# SPDX-License-Identifier: LGPL-2.1-or-later
#
# mpsession and libstations.  Plain GNU make:
#   make            build libstations.so/.a, libstations.pc and mpsession
#   make check      unit tests and the station-lab integration tests
#   make demo       install build dependencies, build, boot the lab, show mpsession
#   make deps       install missing build and test dependencies (Debian, as root)
#   make install    DESTDIR, PREFIX, BINDIR, LIBDIR, INCLUDEDIR, MANDIR, ...
# V=1 shows the commands; WERROR=1 (the default when CI=true) turns warnings
# into errors;
# SANITIZE=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer.
#   make valgrind   the unit tests under valgrind memcheck (build with gcc)
#   make fuzz       each libFuzzer target for FUZZ_TIME seconds (clang)

VERSION := 0.2.0
SOVERSION := 0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/mpsession
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions

CC ?= cc
AR ?= ar
PKG_CONFIG ?= pkg-config
INSTALL ?= install
CFLAGS ?= -O2 -g
PROVE ?= prove

# The project's own flags live apart from the user's CFLAGS, so that
# "make CFLAGS=-O0" can never drop a required one.
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wundef -Wvla \
	-Wimplicit-fallthrough -Wno-missing-field-initializers
# CI builds with warnings as errors.
ifeq ($(CI),true)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
ifeq ($(SANITIZE),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

DEPS_PKGS := libsystemd popt readline
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(DEPS_PKGS) 2>/dev/null)
SYSTEMD_LIBS = $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null)
TOOL_LIBS = $(shell $(PKG_CONFIG) --libs popt readline 2>/dev/null)

PROJECT_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Iinclude -fvisibility=hidden -fPIC \
	-DMPSESSION_VERSION='"$(VERSION)"' $(WARNINGS) $(SANFLAGS) $(DEP_CFLAGS)
ALL_CFLAGS = $(PROJECT_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

ifeq ($(SANITIZE)$(filter valgrind,$(MAKECMDGOALS)),1valgrind)
$(error valgrind and SANITIZE=1 do not mix)
endif

# Objects depend on the flags that built them, so that switching to or from
# SANITIZE=1 (or changing CFLAGS) rebuilds the tree rather than mixing objects.
BUILD_FLAGS := $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)
ifneq ($(BUILD_FLAGS),$(file <build/flags))
$(shell mkdir -p build)
$(file >build/flags,$(BUILD_FLAGS))
endif

ifneq ($(V),1)
Q := @
quiet = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

LIB_SRCS := lib/ctx.c lib/errors.c lib/pipeline.c lib/snapshot.c lib/select.c lib/batch.c lib/notify.c
LIB_OBJS := $(LIB_SRCS:%.c=build/%.o)
TOOL_UTIL_SRCS := cmd/mpsession.c cmd/verbs.c cmd/shell.c cmd/util.c cmd/output.c
TOOL_SRCS := cmd/main.c $(TOOL_UTIL_SRCS)
TOOL_OBJS := $(TOOL_SRCS:%.c=build/%.o)
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/tests/%)

# "man stations_batch_free" finds the family page: each name in a page's NAME
# section but its own becomes a link to it, as PAGE:NAME.3 words.
MAN3_FAMILIES := $(wildcard man/stations_*.3)
MAN3_LINKS := $(shell awk '/^\.Sh / { f = ($$0 == ".Sh NAME") } f && /^\.Nm / { \
	p = FILENAME; sub(/.*\//, "", p); if ($$2 ".3" != p) print p ":" $$2 ".3" }' \
	$(MAN3_FAMILIES))
EXAMPLES := $(wildcard examples/*)

SONAME := libstations.so.$(SOVERSION)
SHLIB := libstations.so.$(VERSION)

.DELETE_ON_ERROR:
.PHONY: all check unit-check demo deps install uninstall clean bench valgrind fuzz fuzz-build

all: $(SHLIB) $(SONAME) libstations.so libstations.a libstations.pc mpsession

build/%.o: %.c build/flags
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(SHLIB): $(LIB_OBJS) lib/libstations.sym
	$(call quiet,LD,$@)$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,$(SONAME) \
		-Wl,--version-script=lib/libstations.sym -Wl,--no-undefined \
		-o $@ $(LIB_OBJS) $(SYSTEMD_LIBS)

$(SONAME) libstations.so: $(SHLIB)
	$(call quiet,LN,$@)ln -sf $(SHLIB) $@

libstations.a: $(LIB_OBJS)
	$(call quiet,AR,$@)rm -f $@ && $(AR) rcs $@ $^

# The in-tree binary finds the in-tree library through its rpath; the
# installed one is linked again without it.
mpsession: $(TOOL_OBJS) libstations.so $(SONAME)
	$(call quiet,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(TOOL_OBJS) -L. -lstations \
		-Wl,-rpath,'$$ORIGIN' $(TOOL_LIBS)

build/mpsession.install: $(TOOL_OBJS) libstations.so
	$(call quiet,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(TOOL_OBJS) -L. -lstations $(TOOL_LIBS)

libstations.pc: lib/libstations.pc.in Makefile
	$(call quiet,GEN,$@)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# Unit tests see the library's internals and all of the tool but main().
build/tests/%: tests/unit/%.c tests/unit/tap.h libstations.a $(TOOL_UTIL_SRCS:%.c=build/%.o)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(ALL_CFLAGS) -Ilib -Icmd -Itests/unit $(ALL_LDFLAGS) -o $@ $< \
		$(TOOL_UTIL_SRCS:%.c=build/%.o) libstations.a $(SYSTEMD_LIBS) $(TOOL_LIBS)

# A client of the installed-style interface only: the public header and the .so.
build/tests/race-helper: tests/integration/race-helper.c libstations.so
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -L. -lstations \
		-Wl,-rpath,'$(CURDIR)'

unit-check: $(UNIT_BINS)
	$(PROVE) --exec '' $(UNIT_BINS)

# One runner for everything: prove, over TAP from the C unit tests, the
# consistency checks and the lab tests.
check: all build/mpsession.install $(UNIT_BINS) build/tests/race-helper
	$(PROVE) $(if $(filter 1,$(V)),-v) --exec '' $(UNIT_BINS) \
		$(sort $(wildcard tests/static/*.t)) tests/lab/selftest.t \
		$(sort $(wildcard tests/integration/*.t))

# Valgrind 3.19 cannot read the DWARF 5 of clang 14: build these with gcc.
VALGRIND ?= valgrind
VALGRIND_LEAKS := definite,indirect,possible
VALGRIND_FLAGS := --quiet --error-exitcode=99 --track-origins=yes --leak-check=full \
	--show-leak-kinds=$(VALGRIND_LEAKS) --errors-for-leak-kinds=$(VALGRIND_LEAKS)
valgrind: $(UNIT_BINS)
	$(PROVE) --exec '$(VALGRIND) $(VALGRIND_FLAGS)' $(UNIT_BINS)

# Fuzzing with libFuzzer: its own objects, built by clang with ASan and UBSan,
# in build/fuzz/.  Each target runs FUZZ_TIME seconds from its seeds in
# tests/fuzz/TARGET/, adding what it finds to build/fuzz/corpus/TARGET/; a
# crash, leak or hang (FUZZ_HANG seconds on one input) fails, and leaves the
# input in build/fuzz/TARGET-crash-* (or leak-, timeout-) to replay with
# "build/fuzz/fuzz-TARGET FILE".
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_HANG ?= 10
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BINS := $(FUZZ_TARGETS:%=build/fuzz/fuzz-%)
FUZZ_OBJS := $(LIB_SRCS:%.c=build/fuzz/%.o) $(TOOL_UTIL_SRCS:%.c=build/fuzz/%.o)
FUZZ_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Iinclude -Ilib -Icmd -Itests/fuzz -g -O1 \
	-DMPSESSION_VERSION='"$(VERSION)"' $(WARNINGS) $(DEP_CFLAGS) \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

build/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(call quiet,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
		-c -o $@ $<

build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(call quiet,FUZZLD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) \
		$(SYSTEMD_LIBS) $(TOOL_LIBS)

# kept between runs: they are made by a pattern rule only
.SECONDARY: $(FUZZ_OBJS)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		echo "fuzz: $$t for $(FUZZ_TIME) s"; \
		mkdir -p build/fuzz/corpus/$$t || exit 1; \
		build/fuzz/fuzz-$$t -max_total_time=$(FUZZ_TIME) -timeout=$(FUZZ_HANG) \
			-rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
			-artifact_prefix=build/fuzz/$$t- build/fuzz/corpus/$$t tests/fuzz/$$t \
			2>build/fuzz/$$t.log || { tail -n 60 build/fuzz/$$t.log; \
			echo "fuzz: $$t FAILED (build/fuzz/$$t.log)"; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^Done' build/fuzz/$$t.log | tr '\n' ' '; echo; \
	done

deps:
	@tests/deps.sh

demo:
	@tests/deps.sh
	@$(MAKE) --no-print-directory all
	@tests/demo.sh

bench: all
	@tests/bench.sh

install: all build/mpsession.install
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL) -m 755 build/mpsession.install $(DESTDIR)$(BINDIR)/mpsession
	$(INSTALL) -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/$(SHLIB)
	ln -sf $(SHLIB) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libstations.so
	$(INSTALL) -m 644 libstations.a $(DESTDIR)$(LIBDIR)/libstations.a
	$(INSTALL) -m 644 include/stations.h $(DESTDIR)$(INCLUDEDIR)/stations.h
	$(INSTALL) -m 644 libstations.pc $(DESTDIR)$(PKGCONFIGDIR)/libstations.pc
	$(INSTALL) -m 644 man/mpsession.1 $(DESTDIR)$(MANDIR)/man1/mpsession.1
	$(INSTALL) -m 644 $(wildcard man/*.3) $(DESTDIR)$(MANDIR)/man3/
	$(foreach l,$(MAN3_LINKS),ln -sf $(subst :, $(DESTDIR)$(MANDIR)/man3/,$(l)) &&) true
	$(INSTALL) -m 644 $(EXAMPLES) $(DESTDIR)$(DOCDIR)/examples/
	$(INSTALL) -m 644 completions/mpsession.bash $(DESTDIR)$(BASHCOMPDIR)/mpsession
	$(INSTALL) -m 644 completions/_mpsession $(DESTDIR)$(ZSHCOMPDIR)/_mpsession

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mpsession
	rm -f $(DESTDIR)$(LIBDIR)/$(SHLIB) $(DESTDIR)$(LIBDIR)/$(SONAME)
	rm -f $(DESTDIR)$(LIBDIR)/libstations.so $(DESTDIR)$(LIBDIR)/libstations.a
	rm -f $(DESTDIR)$(INCLUDEDIR)/stations.h $(DESTDIR)$(PKGCONFIGDIR)/libstations.pc
	rm -f $(DESTDIR)$(MANDIR)/man1/mpsession.1
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(wildcard man/*.3)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(foreach l,$(MAN3_LINKS),$(lastword $(subst :, ,$(l)))))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(notdir $(EXAMPLES)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/mpsession $(DESTDIR)$(ZSHCOMPDIR)/_mpsession

clean:
	rm -rf build mpsession libstations.so* libstations.a libstations.pc

-include $(LIB_OBJS:.o=.d) $(TOOL_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)
