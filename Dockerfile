# Grizz engine image: build with Maven on a JDK 25, run on a JRE 25 as a non-root user.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
COPY .mvn .mvn
COPY engine/pom.xml engine/pom.xml
COPY bench/pom.xml bench/pom.xml
RUN mvn -q -B -pl engine -am dependency:go-offline
COPY engine engine
COPY bench bench
RUN mvn -q -B -pl engine -am package -DskipTests

FROM eclipse-temurin:25-jre
RUN groupadd --system grizz && useradd --system --gid grizz --home-dir /var/lib/grizz --create-home grizz
WORKDIR /app
COPY --from=build /src/engine/target/grizz-engine.jar /app/grizz-engine.jar
USER grizz
ENV GRIZZ_HOME=/var/lib/grizz GRIZZ_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 || exit 1"]
# Spring AOT: bean definitions computed at build time (faster start, less memory; SpringAotModeIT).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dspring.aot.enabled=true", "-jar", "/app/grizz-engine.jar"]
