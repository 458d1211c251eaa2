// CL001's prefetch split where one command both fetches and builds (issue 10 item 9): Gradle, Maven,
// Cargo and sbt. Copy the manifests (with members), fetch, then the broad copy and the build; where
// the manifests alone cannot be fetched, say so and offer no fix.
import { ruleTester } from '../helpers/ruleTester';

const gradle = {
  'build.gradle.kts': '',
  'settings.gradle.kts': 'rootProject.name = "app"\n',
  'gradle.properties': '',
  'gradle/wrapper/gradle-wrapper.properties': '',
  gradlew: '',
  'src/main/kotlin/App.kt': '',
};

ruleTester('CL001', {
  valid: [
    {
      name: 'gradle dependencies before the source copy',
      code: 'FROM gradle:8-jdk21\nWORKDIR /src\nCOPY build.gradle.kts settings.gradle.kts ./\nRUN gradle dependencies --no-daemon\nCOPY . .\nRUN gradle build --no-daemon\n',
    },
    {
      name: 'cargo fetch before the source copy',
      code: 'FROM rust:1\nWORKDIR /src\nCOPY Cargo.toml Cargo.lock ./\nRUN mkdir src && touch src/main.rs && cargo fetch\nCOPY . .\nRUN cargo build --release\n',
    },
    {
      name: 'sbt update before the source copy',
      code: 'FROM sbtscala/scala-sbt:eclipse-temurin-21.0.2_13_1.10.0_3.4.2\nWORKDIR /src\nCOPY build.sbt ./\nCOPY project project\nRUN sbt update\nCOPY . .\nRUN sbt stage\n',
    },
  ],
  invalid: [
    {
      name: 'gradle build after the source (corpus: spring-petclinic-kotlin): build files, wrapper and properties first, then dependencies',
      code: 'FROM gradle:8-jdk21 AS build\nCOPY --chown=gradle:gradle . /home/gradle/src\nWORKDIR /home/gradle/src\nRUN gradle build\n',
      files: gradle,
      errors: [{ line: 2, message: /before `gradle build`/ }],
      output:
        'FROM gradle:8-jdk21 AS build\nCOPY --chown=gradle:gradle build.gradle.kts settings.gradle.kts gradle.properties gradlew /home/gradle/src/\nCOPY --chown=gradle:gradle gradle/ /home/gradle/src/gradle/\nRUN cd /home/gradle/src && gradle dependencies --no-daemon\nCOPY --chown=gradle:gradle . /home/gradle/src\nWORKDIR /home/gradle/src\nRUN gradle build\n',
    },
    {
      name: "./gradlew keeps the wrapper; subprojects' build files and buildSrc come along",
      code: 'FROM eclipse-temurin:21\nWORKDIR /src\nCOPY . .\nRUN ./gradlew bootJar\n',
      files: {
        ...gradle,
        'settings.gradle.kts': 'rootProject.name = "app"\ninclude(":api", ":core:model")\n',
        'api/build.gradle.kts': '',
        'core/model/build.gradle.kts': '',
        'buildSrc/build.gradle.kts': '',
        'buildSrc/src/main/kotlin/conventions.gradle.kts': '',
      },
      errors: [{ line: 3 }],
      output:
        'FROM eclipse-temurin:21\nWORKDIR /src\nCOPY build.gradle.kts settings.gradle.kts gradle.properties gradlew ./\nCOPY gradle/ ./gradle/\nCOPY buildSrc/ ./buildSrc/\nCOPY api/build.gradle.kts ./api/\nCOPY core/model/build.gradle.kts ./core/model/\nRUN ./gradlew dependencies --no-daemon\nCOPY . .\nRUN ./gradlew bootJar\n',
    },
    {
      name: 'a settings file that computes its projects: said, no fix',
      code: 'FROM eclipse-temurin:21\nWORKDIR /src\nCOPY . .\nRUN ./gradlew build\n',
      files: {
        'build.gradle': '',
        'settings.gradle': 'file("modules").listFiles().each { include it.name }\n',
        gradlew: '',
      },
      errors: [
        {
          line: 3,
          message: /cannot fetch the dependencies \(the settings file computes its projects\): a cache mount/,
        },
      ],
      output: null,
    },
    {
      name: 'mvnw package: the wrapper fetches with the same program',
      code: 'FROM eclipse-temurin:21\nWORKDIR /src\nCOPY . .\nRUN ./mvnw -B package -DskipTests\n',
      files: {
        'pom.xml': '<project></project>',
        '.mvn/wrapper/maven-wrapper.properties': '',
        mvnw: '',
        'src/main/java/App.java': '',
      },
      errors: [{ line: 3 }],
      output:
        'FROM eclipse-temurin:21\nWORKDIR /src\nCOPY pom.xml mvnw ./\nCOPY .mvn/ ./.mvn/\nRUN ./mvnw -B dependency:go-offline\nCOPY . .\nRUN ./mvnw -B package -DskipTests\n',
    },
    {
      name: 'a Maven multi-module build: go-offline cannot resolve the modules, so no fix',
      code: 'FROM maven:3-eclipse-temurin-21\nWORKDIR /src\nCOPY . .\nRUN mvn -B package\n',
      files: {
        'pom.xml': '<project><modules><module>api</module><module>core</module></modules></project>',
        'api/pom.xml': '',
        'core/pom.xml': '',
      },
      errors: [{ line: 3, message: /multi-module build \(2 modules\)/ }],
      output: null,
    },
    {
      name: 'cargo build: fetch with stand-in targets, offered but not as safe (a RUN writes files)',
      code: 'FROM rust:1\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n',
      files: { 'Cargo.toml': '[package]\nname = "app"\n', 'Cargo.lock': '', 'src/main.rs': '', 'src/cli.rs': '' },
      errors: [{ line: 3, message: /before `cargo build --release`/ }],
      output: null,
      unsafeOutput:
        'FROM rust:1\nWORKDIR /src\nCOPY Cargo.toml Cargo.lock ./\nRUN mkdir -p src && touch src/main.rs && cargo fetch && rm src/main.rs\nCOPY . .\nRUN cargo build --release\n',
    },
    {
      name: "a Cargo workspace: every member's Cargo.toml and stand-ins for its targets",
      code: 'FROM rust:1\nWORKDIR /src\nCOPY . .\nRUN cargo build --release -p server\n',
      files: {
        'Cargo.toml': '[workspace]\nmembers = [\n  "crates/*",\n]\n',
        'Cargo.lock': '',
        'crates/server/Cargo.toml': '[package]\nname = "server"\n[dependencies]\ncore = { path = "../core" }\n',
        'crates/server/src/main.rs': '',
        'crates/core/Cargo.toml': '[package]\nname = "core"\n',
        'crates/core/src/lib.rs': '',
        'crates/core/build.rs': '',
      },
      errors: [{ line: 3 }],
      output: null,
      unsafeOutput:
        'FROM rust:1\nWORKDIR /src\nCOPY Cargo.toml Cargo.lock ./\nCOPY crates/server/Cargo.toml ./crates/server/\nCOPY crates/core/Cargo.toml ./crates/core/\nRUN mkdir -p crates/server/src crates/core/src && touch crates/server/src/main.rs crates/core/src/lib.rs crates/core/build.rs && cargo fetch && rm crates/server/src/main.rs crates/core/src/lib.rs crates/core/build.rs\nCOPY . .\nRUN cargo build --release -p server\n',
    },
    {
      name: 'a path dependency outside the workspace: said, cargo-chef advised, no fix',
      code: 'FROM rust:1\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n',
      files: {
        'Cargo.toml': '[package]\nname = "app"\n[dependencies]\nvendored = { path = "vendor/vendored" }\n',
        'Cargo.lock': '',
        'src/main.rs': '',
        'vendor/vendored/Cargo.toml': '',
      },
      errors: [
        { line: 3, message: /cannot fetch the dependencies \(path dependency `vendor\/vendored`\): cargo-chef/ },
      ],
      output: null,
    },
    {
      name: 'sbt after the source: build.sbt and project/ first, then sbt update',
      code: 'FROM sbtscala/scala-sbt:eclipse-temurin-21.0.2_13_1.10.0_3.4.2\nWORKDIR /src\nCOPY . .\nRUN sbt stage\n',
      files: {
        'build.sbt': '',
        'project/build.properties': '',
        'project/plugins.sbt': '',
        'src/main/scala/App.scala': '',
      },
      errors: [{ line: 3, message: /before `sbt stage`/ }],
      output:
        'FROM sbtscala/scala-sbt:eclipse-temurin-21.0.2_13_1.10.0_3.4.2\nWORKDIR /src\nCOPY build.sbt ./\nCOPY project/ ./project/\nRUN sbt update\nCOPY . .\nRUN sbt stage\n',
    },
    {
      name: 'a USER between the copy and the build: a prefetch above would fill another home, so no fix',
      code: 'FROM gradle:8-jdk21\nWORKDIR /home/gradle/src\nCOPY . .\nUSER gradle\nRUN gradle build\n',
      files: gradle,
      errors: [{ line: 3 }],
      output: null,
    },
    {
      name: 'cargo fetch after the source: moving it above needs target stand-ins, so no fix (corpus: typst)',
      code: 'FROM rust:1\nCOPY . /app\nWORKDIR /app\nRUN cargo fetch\nRUN cargo build --release\n',
      files: { 'Cargo.toml': '[package]\nname = "app"\n', 'Cargo.lock': '', 'src/main.rs': '' },
      errors: [{ line: 2 }],
      output: null,
    },
    {
      name: 'no Cargo.toml where the context says: no claim about why, no fix',
      code: 'FROM rust:1\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n',
      files: { 'main.c': '' },
      errors: [{ line: 3, message: /re-runs the install\.$/ }],
      output: null,
    },
    {
      name: 'an ENV that does not touch the fetch (CGO_ENABLED) does not stop the prefetch (corpus: syncthing)',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nENV CGO_ENABLED=0\nRUN go build -o /bin/app .\n',
      files: { 'go.mod': 'module x\n', 'go.sum': '', 'main.go': '' },
      errors: [{ line: 3 }],
      output:
        'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nENV CGO_ENABLED=0\nRUN go build -o /bin/app .\n',
    },
    {
      name: 'an ENV that moves the module cache does stop it',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nENV GOMODCACHE=/cache/mod\nRUN go build -o /bin/app .\n',
      files: { 'go.mod': 'module x\n', 'go.sum': '', 'main.go': '' },
      errors: [{ line: 3 }],
      output: null,
    },
  ],
});
