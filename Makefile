# rdpcheck — checks HEE Regional Delivery Plans.
#   make demo   build and run rdpcheck on the bundled fixtures
#   make test   every test: gofmt, go vet, Go tests (golden files, bad input,
#               sandbox), the Rego unit tests and the opa fmt check
#   make bench  per-stage cost of checking a plan, cost at 1x, 5x and 20x plan
#               size, the roll-up at 7, 70 and 140 plans
#   make bench-peers  rdpcheck against conftest and opa eval on 1,000 plans

GO      ?= go
BIN     := bin/rdpcheck
# opa at the version go.mod pins, run outside this module (whose go.sum
# lists only the packages rdpcheck imports).
OPA     := $(GO) run github.com/open-policy-agent/opa@v1.22.2

.PHONY: all build demo serve loadtest test vet fmt fmt-check bench bench-peers race update docs plan-format reference opa-test clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/rdpcheck

demo: build
	@echo "== The seven valid regional plans: expect a clean pass =="
	./$(BIN) check fixtures/plans/valid
	@echo
	@echo "== Plans that each break one rule: findings grouped by objective (exit 1 is expected) =="
	-./$(BIN) check fixtures/plans/invalid
	@echo
	@echo "== The national roll-up of the seven plans: the national picture, and notes on the published tables (not counted) =="
	./$(BIN) rollup fixtures/plans/valid

# The portal on the embedded database, with demo tokens and the seven
# valid plans loaded as first submissions (state kept in bin/portal).
serve: build
	@./$(BIN) serve demo-tokens bin/portal
	./$(BIN) serve --access bin/portal/access.yaml --data-dir bin/portal/data --seed fixtures/plans/valid

# 32 clients for 60 s against the portal (checks and submissions of the
# valid plans): requests/s, p50/p99, errors, the server's peak memory.
loadtest: build
	$(GO) run ./cmd/portal-load -rdpcheck $(BIN) -plans fixtures/plans/valid -clients 32 -duration 60s

test: fmt-check vet
	$(GO) test ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change: $$out (run make fmt)"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')
	$(OPA) fmt -w policies

# The Rego unit tests also run inside go test (policies/policies_test.go);
# this target runs them with the opa command line for a verbose listing.
opa-test:
	$(OPA) test -v --timeout 60s policies

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./checker/... ./workbook/...

# The peer benchmark: pinned conftest and opa installed with go install into
# .bench/bin (git-ignored), a generated 1,000-plan corpus in .bench/corpus
# (seed 1, about a fifth rule-breaking plans), then one timed run of each.
BENCH            := .bench
CONFTEST_VERSION := v0.71.1
OPA_VERSION      := v1.22.2
bench-peers:
	mkdir -p $(BENCH)/bin
	test -x $(BENCH)/bin/opa-$(OPA_VERSION) || { GOBIN=$(abspath $(BENCH)/bin) $(GO) install github.com/open-policy-agent/opa@$(OPA_VERSION) && touch $(BENCH)/bin/opa-$(OPA_VERSION) && chmod +x $(BENCH)/bin/opa-$(OPA_VERSION); }
	test -x $(BENCH)/bin/conftest-$(CONFTEST_VERSION) || { GOBIN=$(abspath $(BENCH)/bin) $(GO) install github.com/open-policy-agent/conftest@$(CONFTEST_VERSION) && touch $(BENCH)/bin/conftest-$(CONFTEST_VERSION) && chmod +x $(BENCH)/bin/conftest-$(CONFTEST_VERSION); }
	$(GO) build -o $(BENCH)/bin/rdpcheck ./cmd/rdpcheck
	$(GO) run ./cmd/benchpeers corpus -out $(BENCH)/corpus -n 1000 -seed 1
	$(GO) run ./cmd/benchpeers run -bin $(BENCH)/bin -corpus $(BENCH)/corpus -plan fixtures/plans/valid/london.yaml

race:
	$(GO) test -race ./...

# The reference data under policies/reference/{metip,budget,kpis} is transcribed
# from the business plan by a kept program, never by hand.
SOURCE ?= ../shared/hee/004_32c34cc149f25956.txt
reference:
	$(GO) run ./cmd/extract-reference -source $(SOURCE) -out policies/reference

# docs/rules.md is generated from the rules' METADATA; a test fails when it is stale.
docs: plan-format
	$(GO) run ./cmd/rdpcheck rules --format markdown > docs/rules.md

# docs/plan-format.md is generated from schemas/plan.schema.json; a test fails when it is stale.
plan-format:
	$(GO) run ./cmd/plan-format > docs/plan-format.md.tmp && mv docs/plan-format.md.tmp docs/plan-format.md

# Regenerate the golden files; then read the diff before committing it.
update:
	$(GO) test ./cmd/rdpcheck ./checker/report -update
	git diff --stat -- fixtures checker/report/testdata docs

clean:
	rm -rf bin
