# Thin aliases of the npm scripts in package.json, for hands that type `make`.
# Each target runs one npm script and nothing else: npm run is the interface.
#   make scenario S=docker-host-db ARGS="--repeat 3"
.PHONY: help scenario test cluster-up cluster-down compare clean bench column-kubernetes column-docker compare-artifacts actions-local matrix

S ?=
ARGS ?=
npm_args = $(if $(strip $(ARGS)),-- $(ARGS))

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 22
	@echo 'make exits 2 whenever its command fails, whatever the code; npm run gives the exit codes (README: Exit codes).'

scenario: ## run scenario S (ARGS: --claim D1, --repeat N, --all …); with no S, list the scenarios
	npm run scenario $(S) $(npm_args)

test: ## unit, integration, browser and kind tests (installs what is missing)
	npm test $(npm_args)

cluster-up: ## start the lab's kind cluster (builds what is missing first)
	npm run cluster up $(npm_args)

cluster-down: ## delete the lab's kind cluster
	npm run cluster down $(npm_args)

compare: ## one table of result directories (ARGS="results/kindnetd-lab results/flannel") → results/compare/compare.{md,json,html}
	npm run compare $(npm_args)

clean: ## remove what dead runs left
	npm run clean $(npm_args)

bench: ## benchmark a warm run (figures, not a test)
	npm run bench $(npm_args)

column-kubernetes: ## every Kubernetes scenario on CNI (CNI=flannel DIR=results/flannel): one compare column
	npm run column -- kubernetes $(CNI) $(or $(DIR),results/$(CNI))

column-docker: ## every Docker scenario on the engine (DIR=results/docker): one compare column
	npm run column -- docker $(or $(DIR),results/docker)

compare-artifacts: ## compare a downloaded artifact tree (DIR=downloaded: DIR/results-<column>/)
	npm run compare-artifacts -- $(DIR) $(OUT)

actions-local: ## the cni-matrix workflow through act on this machine (one CNI leg, Docker leg, compare)
	npm run actions-local

matrix: ## the matrix tier: every CNI x Kubernetes scenario, every engine x Docker suite, compare, the workflow through act (long)
	npm run test:matrix
