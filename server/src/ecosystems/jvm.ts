// JVM (Maven, Gradle, sbt): package-manager knowledge as data (see table.ts).
import type { Ecosystem } from './types';

const jreImages = [
  { match: '(?:temurin|jdk|openjdk|corretto)\\D*?(\\d{2}).*alpine', image: 'eclipse-temurin:$1-jre-alpine' },
  { match: '(?:temurin|jdk|openjdk|corretto)\\D*?(\\d{2})', image: 'eclipse-temurin:$1-jre' },
];
const jvmSource = ['.java', '.kt', '.groovy', '.scala'];
/** what a Gradle run reads before the source: the build scripts, their properties and the wrapper */
const gradleBuildFiles = [
  'build.gradle',
  'build.gradle.kts',
  'settings.gradle',
  'settings.gradle.kts',
  'gradle.properties',
  'gradle/',
  'gradlew',
];

export const JVM_ECOSYSTEMS: Ecosystem[] = [
  {
    id: 'maven',
    name: 'Maven',
    installs: [
      {
        tools: ['mvn', 'mvnw', './mvnw'],
        anyArg: ['dependency:go-offline', 'dependency:resolve', 'dependency:resolve-plugins'],
        manifests: ['pom.xml'],
        optional: ['.mvn/', 'mvnw'],
      },
      {
        tools: ['mvn', 'mvnw', './mvnw'],
        anyArg: ['package', 'install', 'verify', 'compile', 'spring-boot:repackage'],
        manifests: ['pom.xml'],
        optional: ['.mvn/', 'mvnw'],
        needsSource: true,
        prefetch: '$0 -B dependency:go-offline',
        members: 'maven',
        prefetchAdvice: 'a cache mount on `/root/.m2` keeps the downloads instead',
        unlessPreceededBy: [
          { tools: ['mvn', 'mvnw', './mvnw'], anyArg: ['dependency:go-offline', 'dependency:resolve'] },
        ],
      },
    ],
    builds: [{ tools: ['mvn', 'mvnw', './mvnw'], anyArg: ['package', 'install', 'verify'] }],
    runtime: { images: jreImages, outputDirs: ['target'] },
    cacheTarget: '/root/.m2',
    cacheSettings: {
      env: ['MAVEN_CONFIG', 'MAVEN_OPTS', 'HOME'],
      flags: ['-Dmaven.repo.local', '-s', '--settings', '-o', '--offline'],
    },
    cacheHoldsInstall: true,
    sourceExtensions: jvmSource,
  },
  {
    id: 'gradle',
    name: 'Gradle',
    installs: [
      {
        tools: ['gradle', 'gradlew', './gradlew'],
        anyArg: ['dependencies', 'downloadDependencies', '--refresh-dependencies'],
        manifests: [],
        optional: gradleBuildFiles,
      },
      {
        tools: ['gradle', 'gradlew', './gradlew'],
        anyArg: ['build', 'assemble', 'bootJar', 'jar', 'installDist', 'shadowJar'],
        manifests: [],
        optional: gradleBuildFiles,
        needsSource: true,
        prefetch: '$0 dependencies --no-daemon',
        members: 'gradle',
        prefetchAdvice: 'a cache mount on `/root/.gradle/caches` keeps the downloads instead',
        unlessPreceededBy: [
          { tools: ['gradle', 'gradlew', './gradlew'], anyArg: ['dependencies', 'downloadDependencies'] },
        ],
      },
    ],
    builds: [
      {
        tools: ['gradle', 'gradlew', './gradlew'],
        anyArg: ['build', 'assemble', 'bootJar', 'jar', 'installDist', 'shadowJar'],
      },
    ],
    runtime: { images: jreImages, outputDirs: ['build/libs'] },
    cacheTarget: '/root/.gradle/caches',
    cacheSettings: { env: ['GRADLE_USER_HOME', 'HOME'], flags: ['-g', '--gradle-user-home', '--offline'] },
    cacheHoldsInstall: true,
    dirFlags: ['-p', '--project-dir'],
    sourceExtensions: jvmSource,
  },
  {
    id: 'sbt',
    name: 'sbt',
    installs: [
      {
        tools: ['sbt'],
        anyArg: ['update', 'updateClassifiers'],
        notFlags: [],
        manifests: ['build.sbt'],
        optional: ['project/', '.sbtopts', '.jvmopts'],
      },
      {
        tools: ['sbt'],
        anyArg: [
          'compile',
          'package',
          'assembly',
          'stage',
          'universal:packageBin',
          'Universal/packageBin',
          'test',
          'publishLocal',
        ],
        manifests: ['build.sbt'],
        optional: ['project/', '.sbtopts', '.jvmopts'],
        needsSource: true,
        prefetch: 'sbt update',
        unlessPreceededBy: [{ tools: ['sbt'], anyArg: ['update', 'updateClassifiers'] }],
      },
    ],
    builds: [
      {
        tools: ['sbt'],
        anyArg: ['compile', 'package', 'assembly', 'stage', 'universal:packageBin', 'Universal/packageBin'],
      },
    ],
    runtime: { images: jreImages, outputDirs: ['target'] },
    cacheTarget: '/root/.cache/coursier',
    cacheSettings: { env: ['COURSIER_CACHE', 'SBT_OPTS', 'HOME'], flags: ['-Dsbt.coursier.home', '-Dsbt.ivy.home'] },
    cacheHoldsInstall: true,
    sourceExtensions: jvmSource,
  },
];
