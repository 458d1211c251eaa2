import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL301', {
  valid: [
    // the build runs in a builder stage; the final stage only copies
    ['FROM node:20 AS build', 'WORKDIR /app', 'COPY . .', 'RUN npm ci && npm run build', 'FROM node:20-slim', 'COPY --from=build /app/dist /app/dist', 'CMD ["node", "/app/dist/server.js"]'].join('\n'),
    // nothing is built
    'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]',
    // a stage with no install and no build
    'FROM alpine\nCOPY app /app\nCMD ["/app"]',
  ],
  invalid: [
    {
      name: 'the seed: Node, same image family, pruned node_modules + dist + package.json',
      code: ['FROM node:20', 'WORKDIR /app', 'ENV NODE_ENV=production', 'COPY package*.json ./', 'RUN npm ci', 'COPY . .', 'RUN npm run build', 'EXPOSE 3000', 'USER node', 'CMD ["node", "dist/server.js"]'].join('\n'),
      errors: [{ line: 7, message: 'copy `/app/dist`, `/app/package.json`, `/app/node_modules` into a runtime image' }],
      output: null,
      unsafeOutput: [
        'FROM node:20 AS build', 'WORKDIR /app', 'ENV NODE_ENV=production', 'COPY package*.json ./', 'RUN npm ci', 'COPY . .', 'RUN npm run build', 'RUN npm prune --omit=dev', 'EXPOSE 3000', 'USER node', 'CMD ["node", "dist/server.js"]',
        '',
        'FROM node:20', 'WORKDIR /app', 'ENV NODE_ENV=production', 'COPY --from=build /app/dist /app/dist', 'COPY --from=build /app/package.json /app/package.json', 'COPY --from=build /app/node_modules /app/node_modules', 'EXPOSE 3000', 'USER node', 'CMD ["node", "dist/server.js"]',
      ].join('\n'),
    },
    {
      name: 'Go: the binary onto a minimal base',
      code: ['FROM golang:1.22', 'WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server', 'EXPOSE 8080', 'ENTRYPOINT ["/out/server"]'].join('\n'),
      errors: [{ line: 4 }],
      unsafeOutput: ['FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server', 'EXPOSE 8080', 'ENTRYPOINT ["/out/server"]', '', 'FROM gcr.io/distroless/base-debian12', 'WORKDIR /src', 'COPY --from=build /out/server /out/server', 'EXPOSE 8080', 'ENTRYPOINT ["/out/server"]'].join('\n'),
    },
    {
      name: 'Java: the jar onto a JRE of the same version, ARG carried for the LABEL',
      code: ['FROM maven:3.9-eclipse-temurin-21 AS app', 'ARG VERSION', 'WORKDIR /app', 'COPY . .', 'RUN mvn -B package', 'LABEL version=$VERSION', 'CMD ["java", "-jar", "target/app.jar"]'].join('\n'),
      errors: [{ line: 5 }],
      unsafeOutput: ['FROM maven:3.9-eclipse-temurin-21 AS app', 'ARG VERSION', 'WORKDIR /app', 'COPY . .', 'RUN mvn -B package', 'LABEL version=$VERSION', 'CMD ["java", "-jar", "target/app.jar"]', '', 'FROM eclipse-temurin:21-jre', 'ARG VERSION', 'WORKDIR /app', 'LABEL version=$VERSION', 'COPY --from=app /app/target/app.jar /app/target/app.jar', 'CMD ["java", "-jar", "target/app.jar"]'].join('\n'),
    },
    {
      name: '.NET: publish output onto the aspnet runtime',
      code: ['FROM mcr.microsoft.com/dotnet/sdk:8.0', 'WORKDIR /src', 'COPY . .', 'RUN dotnet publish -c Release -o /app', 'WORKDIR /app', 'ENTRYPOINT ["dotnet", "Api.dll"]'].join('\n'),
      errors: [{ line: 4 }],
      unsafeOutput: ['FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build', 'WORKDIR /src', 'COPY . .', 'RUN dotnet publish -c Release -o /app', 'WORKDIR /app', 'ENTRYPOINT ["dotnet", "Api.dll"]', '', 'FROM mcr.microsoft.com/dotnet/aspnet:8.0', 'WORKDIR /app', 'COPY --from=build /app /app', 'ENTRYPOINT ["dotnet", "Api.dll"]'].join('\n'),
    },
    {
      name: 'Rust: target/release binary onto distroless cc',
      code: ['FROM rust:1.79', 'WORKDIR /usr/src/app', 'COPY . .', 'RUN cargo build --release', 'CMD ["./target/release/app"]'].join('\n'),
      errors: [{ line: 4 }],
      unsafeOutput: ['FROM rust:1.79 AS build', 'WORKDIR /usr/src/app', 'COPY . .', 'RUN cargo build --release', 'CMD ["./target/release/app"]', '', 'FROM gcr.io/distroless/cc-debian12', 'WORKDIR /usr/src/app', 'COPY --from=build /usr/src/app/target/release/app /usr/src/app/target/release/app', 'CMD ["./target/release/app"]'].join('\n'),
    },
    {
      name: 'no fix when the start command needs files the fix cannot name',
      code: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci && npm run build', 'CMD ["npm", "start"]'].join('\n'),
      errors: [{ line: 4, message: 'copy only the build output' }],
      output: null,
      unsafeOutput: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci && npm run build', 'CMD ["npm", "start"]'].join('\n'),
    },
    {
      name: 'no fix for a shell-form start on distroless, nor for an image from an ARG',
      code: ['ARG GO=1.22', 'FROM golang:${GO}', 'RUN go build -o /app .', 'CMD /app'].join('\n'),
      errors: [{ line: 3 }],
      unsafeOutput: ['ARG GO=1.22', 'FROM golang:${GO}', 'RUN go build -o /app .', 'CMD /app'].join('\n'),
    },
    {
      name: 'an output path COPY cannot take unquoted: no fix',
      code: ['FROM golang:1.22', 'RUN go build -o "/out/my app" .', 'CMD ["/out/my app"]'].join('\n'),
      errors: [{ line: 2 }],
      unsafeOutput: ['FROM golang:1.22', 'RUN go build -o "/out/my app" .', 'CMD ["/out/my app"]'].join('\n'),
    },
    {
      name: 'a user made by a RUN does not exist in the runtime stage',
      code: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci && npm run build', 'RUN useradd app', 'USER app', 'CMD ["node", "dist/index.js"]'].join('\n'),
      errors: [{ line: 4 }],
      unsafeOutput: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci && npm run build', 'RUN useradd app', 'USER app', 'CMD ["node", "dist/index.js"]'].join('\n'),
    },
  ],
});
