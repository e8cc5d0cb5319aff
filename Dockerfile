# Grizz engine image: the web UI built with Node, the engine jar with Maven on a JDK 25 (-Pimage: no
# embedded PostgreSQL binaries, a container always uses an external PostgreSQL), then a Java 25
# runtime with PostgreSQL's client tools (scheduled backups), a JDK AOT cache and a non-root user.
#
# Every base is a build arg. The defaults pull public images (`docker build .`,
# `docker compose up --build`, the workflow's image job). deploy/image/build-and-run.sh builds this
# same file offline with buildah: RUNTIME_IMAGE names a local Debian 13 base it makes
# (deploy/image/build-base.sh) and JAR_FROM=prebuilt takes the jar `mvn -Pimage package` made on the
# host (engine/target/image/grizz-engine.jar, UI included), so the Node and Maven stages are skipped.
# buildah 1.28 does not follow FROM ${JAR_FROM} to a stage when it skips unused stages: for the
# default path with buildah, pass --skip-unused-stages=false (checked once that way, with stand-in
# Node and Maven images made from the local base; Docker's BuildKit follows it by itself).
#
# AOT_TRAINING_DB_URL (and _USER/_PASSWORD): a PostgreSQL the build can reach (a throwaway database;
# the schema is migrated into it). When set, one training start writes the JDK AOT cache
# /app/grizz.aot (start-up about twice as fast, bench/RESULTS.md); when not, the image starts
# without it. With Docker: --network=host --build-arg AOT_TRAINING_DB_URL=jdbc:postgresql://….
ARG NODE_IMAGE=node:20-bookworm-slim
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-25
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre
ARG JAR_FROM=build

FROM ${NODE_IMAGE} AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web ./
RUN NEXT_TELEMETRY_DISABLED=1 npx next build

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY pom.xml .
COPY .mvn .mvn
COPY engine/pom.xml engine/pom.xml
COPY bench/pom.xml bench/pom.xml
RUN mvn -q -B -pl engine -am -Pimage dependency:go-offline
COPY engine/src engine/src
# The UI goes into the jar from web/out (engine/pom.xml's bundle-web-ui); Node is not needed here.
COPY --from=web /src/web/out web/out
RUN mvn -q -B -pl engine -am -Pimage package -DskipTests -Dgrizz.web.skip=true

# The jar built on the host instead (JAR_FROM=prebuilt).
FROM scratch AS prebuilt
COPY engine/target/image/grizz-engine.jar /src/engine/target/image/grizz-engine.jar

FROM ${JAR_FROM} AS jar

FROM ${RUNTIME_IMAGE}
# pg_dump and pg_restore for the scheduled backups (the local base has Debian's; on the default
# base, apt installs Ubuntu's), and the user the engine runs as (uid 999, as deploy/k8s expects).
RUN if ! command -v pg_dump >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends postgresql-client \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
    && groupadd --system --gid 999 grizz \
    && useradd --system --uid 999 --gid grizz --home-dir /var/lib/grizz --create-home grizz
WORKDIR /app
COPY --from=jar /src/engine/target/image/grizz-engine.jar /tmp/grizz-engine.jar
ARG AOT_TRAINING_DB_URL=
ARG AOT_TRAINING_DB_USER=postgres
ARG AOT_TRAINING_DB_PASSWORD=
# The extracted layout (faster to start than the fat jar), then the optional training start: Spring
# AOT on, as the engine runs; it exits once the context is up. Its GRIZZ_HOME is thrown away, so no
# key or file it made stays in the image.
RUN java -Djarmode=tools -jar /tmp/grizz-engine.jar extract --destination /app \
    && rm /tmp/grizz-engine.jar \
    && if [ -n "$AOT_TRAINING_DB_URL" ]; then \
      GRIZZ_DB_URL="$AOT_TRAINING_DB_URL" GRIZZ_DB_USER="$AOT_TRAINING_DB_USER" \
      GRIZZ_DB_PASSWORD="$AOT_TRAINING_DB_PASSWORD" GRIZZ_HOME=/tmp/aot-training GRIZZ_PORT=0 \
      java -XX:AOTCacheOutput=/app/grizz.aot -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh \
        -jar /app/grizz-engine.jar > /tmp/aot-training.log 2>&1 \
      || { tail -40 /tmp/aot-training.log; exit 1; }; \
      rm -rf /tmp/aot-training /tmp/aot-training.log; \
    fi
USER grizz
ENV GRIZZ_HOME=/var/lib/grizz GRIZZ_PORT=8080
EXPOSE 8080
# bash, not sh: /dev/tcp is a bash feature (dash, Debian's sh, has none).
HEALTHCHECK --interval=10s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 || exit 1"]
# Spring AOT: bean definitions computed at build time (faster start, less memory; SpringAotModeIT).
# The AOT cache when the build trained one. Arguments go to the engine (e.g. `backup /dir`).
ENTRYPOINT ["sh", "-c", "exec java $([ -f /app/grizz.aot ] && echo -XX:AOTCache=/app/grizz.aot) -XX:MaxRAMPercentage=75 -Dspring.aot.enabled=true -jar /app/grizz-engine.jar \"$@\"", "grizz"]
