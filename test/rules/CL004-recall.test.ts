// CL004 recall (issue 10 item 8): an install RUN that relies on a package index another RUN fetched.
import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL004', {
  valid: [
    {
      name: 'each RUN refreshes its own index',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git\n',
    },
    {
      name: 'the earlier RUN deleted the index: the later install fails instead (not a cache problem)',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y ./local.deb\n',
    },
    {
      name: 'apk add --update refreshes the index itself (corpus: shlink)',
      code: 'FROM alpine:3.20\nRUN apk update\nRUN apk add --update linux-headers\n',
    },
    {
      name: 'apk add --no-cache fetches a fresh index',
      code: 'FROM alpine:3.20\nRUN apk update && apk add curl\nRUN apk add --no-cache git\n',
    },
    {
      name: 'the index lives in a cache mount the RUNs share (corpus: mastodon)',
      code: 'FROM debian:12 AS base\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\nFROM base\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get install -y git\n',
    },
    {
      name: "a vendor repository-setup script piped to a shell refreshes the index itself (NodeSource's setup_N.x)",
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \\\n  && apt-get install -y nodejs\n',
    },
    {
      name: 'so does an update-alone RUN before it: the install refreshes through the script',
      code: 'FROM debian:12\nRUN apt-get update\nRUN curl -s https://packagecloud.io/install/repositories/github/git-lfs/script.deb.sh | sudo bash && apt-get install -y git-lfs\n',
    },
  ],
  invalid: [
    {
      name: 'a script that is only downloaded, not run, refreshes nothing',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN curl -fsSLo /tmp/setup.sh https://deb.nodesource.com/setup_20.x && apt-get install -y nodejs\n',
      errors: [{ line: 3 }],
    },
    {
      name: 'a later install borrows the index an earlier RUN fetched',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\nRUN apt-get install -y git\n',
      errors: [{ line: 4, message: /installs from the package index that line 2 fetched in another RUN/ }],
      output:
        'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\nRUN apt-get update && apt-get install -y git\n',
    },
    {
      name: 'the index came from the stage it builds on',
      code: 'FROM debian:12 AS base\nRUN apt-get -qq update && apt-get install -y curl\nFROM base\nRUN apt-get install -y git\n',
      errors: [{ line: 4 }],
      output:
        'FROM debian:12 AS base\nRUN apt-get -qq update && apt-get install -y curl\nFROM base\nRUN apt-get -qq update && apt-get install -y git\n',
    },
  ],
});
