# syntax=docker/dockerfile:1
# The cachelens CLI as a container image:
#   docker build -t cachelens .
#   docker run --rm -v "$PWD:/src" cachelens check /src
# NODE_IMAGE lets an offline CI build FROM a local base; BUNDLES lets it take the
# bundles (/build/dist) from an image that already holds them instead of the build
# stage, which needs the npm registry (see scripts/container-smoke.sh).
ARG NODE_IMAGE=node:20.19.5-bookworm-slim
ARG BUNDLES=build

FROM ${NODE_IMAGE} AS build
WORKDIR /build
# the lock file alone decides the install layer
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/code-cache.mjs scripts/code-cache-child.ts scripts/
COPY client/ client/
COPY server/ server/
# the language server's code cache is made from a first analysis of this example
COPY examples/node-app/ examples/node-app/
RUN node scripts/build.mjs

FROM ${BUNDLES} AS bundles

FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="cachelens" \
      org.opencontainers.image.description="Docker build cache linter" \
      org.opencontainers.image.source="https://github.com/cachelens/cachelens"
COPY --link bin/ /opt/cachelens/bin/
COPY --link --from=bundles /build/dist/cli.js /build/dist/server.js /build/dist/server.bundle.js /build/dist/server.bundle.cache /opt/cachelens/dist/
WORKDIR /src
ENTRYPOINT ["node", "/opt/cachelens/bin/cachelens"]
CMD ["check", "."]
