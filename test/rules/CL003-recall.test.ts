// CL003 recall (issue 10 item 8): a volatile ARG promoted to an ENV early in a stage, and one named
// nowhere but read by project code from the environment.
import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL003', {
  valid: [
    {
      name: 'the RUN right after the ENV runs a script copied from the context, which may read the value (fetches that commit)',
      code: 'FROM node:22\nARG COMMIT_HASH\nENV COMMIT_HASH=$COMMIT_HASH\nCOPY build.sh /build.sh\nRUN /build.sh\n',
      files: { 'build.sh': 'git fetch origin "$COMMIT_HASH"\n' },
    },
    {
      name: 'the same run through an interpreter',
      code: 'FROM python:3.12\nARG GIT_SHA\nENV GIT_SHA=$GIT_SHA\nCOPY tools/stamp.py /opt/\nRUN python3 /opt/stamp.py\n',
      files: { 'tools/stamp.py': '' },
    },
    {
      name: 'ARG and ENV right before the step that uses them',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nARG GIT_SHA\nENV GIT_SHA=$GIT_SHA\nRUN npm run build\n',
    },
    {
      name: 'several values in one ENV, the RUN after it uses another of them (corpus: fx-private-relay)',
      code: 'FROM python:3.12\nRUN pip install -r requirements.txt\nARG GIT_BRANCH\nARG GIT_SHA\nENV GIT_BRANCH=${GIT_BRANCH:-unknown} \\\n    GIT_SHA=${GIT_SHA:-unknown}\nRUN printf \'{"commit":"%s"}\' "$GIT_SHA" > /app/version.json\n',
    },
    {
      name: 'a deliberate cache bust named nowhere',
      code: 'FROM node:20\nARG CACHEBUST=1\nRUN apt-get update && apt-get install -y git\nRUN ./build.sh\n',
    },
    {
      name: 'named nowhere and no project code runs: nothing can read it',
      code: 'FROM alpine\nARG GIT_SHA\nRUN apk add curl\nRUN apk add git\n',
    },
  ],
  invalid: [
    {
      name: 'ARG promoted to an ENV at the top of the stage: both move to the first use',
      code: 'FROM node:20\nARG GIT_SHA\nENV GIT_SHA=$GIT_SHA\nWORKDIR /app\nRUN apt-get update && apt-get install -y python3\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n',
      errors: [
        {
          line: 2,
          message:
            /`ENV GIT_SHA` \(line 3\) carries it into every later step: the 2 RUN steps before its first use \(line 9\) miss the cache/,
        },
      ],
      output:
        'FROM node:20\nWORKDIR /app\nRUN apt-get update && apt-get install -y python3\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nARG GIT_SHA\nENV GIT_SHA=$GIT_SHA\nRUN npm run build\n',
    },
    {
      name: 'promoted under another name, used by name later',
      code: 'FROM python:3.12\nARG VERSION\nENV APP_VERSION=${VERSION}\nRUN pip install -r requirements.txt\nRUN echo $APP_VERSION > /version\n',
      errors: [{ line: 2, message: /`ENV APP_VERSION`/ }],
      output:
        'FROM python:3.12\nRUN pip install -r requirements.txt\nARG VERSION\nENV APP_VERSION=${VERSION}\nRUN echo $APP_VERSION > /version\n',
    },
    {
      name: 'promoted and never used after: reported, no move (the runtime may need it)',
      code: 'FROM python:3.12\nARG BUILD_DATE\nENV BUILD_DATE=$BUILD_DATE\nRUN pip install -r requirements.txt\nCMD ["python", "-m", "app"]\n',
      errors: [{ line: 2, message: /after it miss/ }],
      output: null,
    },
    {
      name: 'named nowhere, read by a script: the ARG moves just before it',
      code: 'FROM node:20\nARG GIT_SHA\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN ./scripts/build.sh\n',
      errors: [{ line: 2, message: /no step names it, but line 7 runs project code/ }],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nARG GIT_SHA\nRUN ./scripts/build.sh\n',
    },
    {
      name: 'LABELs that use the value move along with the ARG and ENV (corpus: dispatch)',
      code: 'FROM python:3.12\nARG SOURCE_COMMIT\nENV APP_BUILD=${SOURCE_COMMIT:-unknown}\nLABEL org.opencontainers.image.revision=$SOURCE_COMMIT\nRUN apt-get update && apt-get install -y curl\nCOPY . /src\nRUN ./build.sh\n',
      errors: [{ line: 2, message: /before its first use \(line 7\)/ }],
      output:
        'FROM python:3.12\nRUN apt-get update && apt-get install -y curl\nCOPY . /src\nARG SOURCE_COMMIT\nENV APP_BUILD=${SOURCE_COMMIT:-unknown}\nLABEL org.opencontainers.image.revision=$SOURCE_COMMIT\nRUN ./build.sh\n',
    },
    {
      name: 'a project build (uv build runs the build backend) may read the promoted value (corpus: dispatch)',
      code: 'FROM python:3.12\nARG SOURCE_COMMIT\nENV APP_BUILD=${SOURCE_COMMIT:-unknown}\nRUN echo hello\nCOPY . /src\nRUN cd /src && uv build\n',
      errors: [{ line: 2, message: /before its first use \(line 6\)/ }],
      output:
        'FROM python:3.12\nRUN echo hello\nCOPY . /src\nARG SOURCE_COMMIT\nENV APP_BUILD=${SOURCE_COMMIT:-unknown}\nRUN cd /src && uv build\n',
    },
  ],
});
