# Drover: `make run` starts the server on embedded defaults, `make test` runs the whole suite.
SHELL := /bin/bash
JAVA_HOME := $(shell bin/find-jdk)
ifeq ($(JAVA_HOME),)
$(error no JDK 21 or newer found; see the message above)
endif
export JAVA_HOME
JAVA := $(JAVA_HOME)/bin/java
# Maven's own libraries trip the JDK's warnings about native access and (from JDK 24) sun.misc.Unsafe; they say
# nothing about Drover, so they are allowed quietly.
JAVA_FEATURE := $(shell $(JAVA) -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
MAVEN_OPTS += --enable-native-access=ALL-UNNAMED
ifeq ($(shell [ "$(JAVA_FEATURE)" -ge 24 ] 2>/dev/null && echo yes),yes)
MAVEN_OPTS += --sun-misc-unsafe-memory-access=allow
endif
export MAVEN_OPTS
MVN := ./mvnw -B
JAR := drover-server/target/drover.jar
# The server's memory settings; the benchmark starts the server with the same ones.
DROVER_JAVA_OPTIONS ?= -XX:+UseSerialGC -Xms64m -Xmx384m -XX:MaxMetaspaceSize=128m
SOURCES := $(shell find pom.xml drover-model/pom.xml drover-server/pom.xml drover-model/src/main drover-server/src/main examples -type f)

.PHONY: run test build image bench bench-fleet bench-addons bench-connected bench-versus bench-cost bench-environments bench-campaigns bench-replicas bench-ipam bench-apps bench-all goldens clean

run: $(JAR)
	$(JAVA) $(DROVER_JAVA_OPTIONS) -jar $(JAR) up $(ARGS)

build: $(JAR)

$(JAR): $(SOURCES)
	@echo "Building $(JAR) with $(JAVA_HOME) (the first build downloads dependencies and takes a minute or two)"
	$(MVN) -q -DskipTests package

# The container image as an OCI tarball (drover-server/target/drover-image.tar), built without a container engine.
image:
	deploy/image/build $(IMAGE)

test:
	@/usr/bin/python3 -c 'import kubernetes' 2>/dev/null || { echo "installing python3-kubernetes (the Python client compatibility test's client) from Debian packages"; \
	  apt-get install -y python3-kubernetes >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y python3-kubernetes >/dev/null; }; }
	$(MVN) verify

# Benchmarks are not tests: run them on a quiet machine and record the figures in docs/benchmarks.md.
# One ApiBenchmark scenario, against the jar, with the server's memory settings.
BENCH_CLASSPATH := drover-server/target/test-classes:drover-server/target/classes:drover-model/target/classes
define api_benchmark
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=$(CURDIR)/target/bench.classpath
	$(JAVA) -cp $(BENCH_CLASSPATH):$$(cat target/bench.classpath) dev.drover.server.benchmark.ApiBenchmark --scenario $(1) \
	  --jar $(JAR) --server-java-options "$(DROVER_JAVA_OPTIONS)" $(ARGS)
endef

bench: $(JAR)
	@command -v wrk >/dev/null || { echo "installing wrk (the benchmark's load generator) from Debian packages"; \
	  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
	$(call api_benchmark,api)

# The cluster factory: 1,000 clusters rendered and committed, then single changes to their commits.
bench-fleet: $(JAR)
	$(call api_benchmark,fleet)

bench-addons: $(JAR)
	$(call api_benchmark,addons)

# Application bootstrap: 1,000 Applications over 100 Clusters committed, then one template change re-rendering them all.
bench-apps: $(JAR)
	$(call api_benchmark,apps)

# Connected mode: the fleet observed in a real management cluster API (needs ../shared/testenv).
bench-connected: $(JAR)
	$(call api_benchmark,connected)

# Drover beside a real kube-apiserver and etcd, the same client against both (needs ../shared/testenv).
bench-versus: $(JAR)
	$(call api_benchmark,versus)

bench-cost:
	$(MVN) -q -DskipTests -pl drover-model test-compile dependency:build-classpath -Dmdep.outputFile=$(CURDIR)/target/bench-model.classpath
	$(JAVA) $(DROVER_JAVA_OPTIONS) -cp drover-model/target/test-classes:drover-model/target/classes:$$(cat target/bench-model.classpath) \
	  dev.drover.model.cost.CostBenchmark $(ARGS)

# Campaigns on a simulated fleet: 100 clusters to the end, a 500-cluster plan, a 1,000-cluster reconcile.
bench-campaigns:
	$(MVN) -q -DskipTests -pl drover-model test-compile dependency:build-classpath -Dmdep.outputFile=$(CURDIR)/target/bench-model.classpath
	$(JAVA) $(DROVER_JAVA_OPTIONS) -cp drover-model/target/test-classes:drover-model/target/classes:$$(cat target/bench-model.classpath) \
	  dev.drover.model.campaign.CampaignBenchmark $(ARGS)

# Two replicas on one PostgreSQL and one Git remote: creates over both, the standby's watch and git port, the takeover.
bench-replicas:
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=$(CURDIR)/target/bench.classpath
	$(JAVA) -XX:+UseSerialGC -Xmx768m -cp $(BENCH_CLASSPATH):$$(cat target/bench.classpath) dev.drover.server.benchmark.ReplicasBenchmark $(ARGS)

bench-ipam:
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=$(CURDIR)/target/bench.classpath
	$(JAVA) -XX:+UseSerialGC -Xmx768m -cp $(BENCH_CLASSPATH):$$(cat target/bench.classpath) dev.drover.server.benchmark.IpamBenchmark $(ARGS)

bench-environments:
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=$(CURDIR)/target/bench.classpath
	$(JAVA) $(DROVER_JAVA_OPTIONS) -cp $(BENCH_CLASSPATH):$$(cat target/bench.classpath) \
	  dev.drover.server.environment.EnvironmentBenchmark $(ARGS)

# Every scenario above, one after the other, and one table of their figures.
bench-all: $(JAR)
	bin/bench-all

# Rewrites the renderer's golden files from the examples; review the diff before committing it.
goldens:
	$(MVN) -q -pl drover-model test -Dtest=FleetRendererGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Ddrover.updateGoldens=true
	@git status --short drover-model/src/test/resources/render

clean:
	$(MVN) -q clean
