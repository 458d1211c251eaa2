// CL002 must not call a copy "unrelated" when the install reads it (issue 10 item 5): the project's
// own source for installs of the project, config folders, restore inputs, workspace members.
import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL002', {
  valid: [
    {
      name: 'a workspace member declares `bin`: the install links (reads) those files',
      code: 'FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock ./\nCOPY packages/api/package.json packages/api/\nCOPY packages/api/bin packages/api/bin\nRUN yarn install --frozen-lockfile\n',
      files: {
        'package.json': '{"workspaces":["packages/*"]}',
        'yarn.lock': '',
        'packages/api/package.json': '{"name":"api","bin":{"api":"./bin/api.js"}}',
        'packages/api/bin/api.js': '',
      },
    },
    {
      name: 'a later install is not placed by a copy an earlier install reads (bundle install, then npm ci)',
      code: 'FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nCOPY lib/gemfile_helper.rb lib/\nRUN bundle install\nCOPY package.json package-lock.json ./\nRUN npm ci\n',
      files: {
        Gemfile: "require_relative 'lib/gemfile_helper'\n",
        'Gemfile.lock': '',
        'lib/gemfile_helper.rb': '',
        'package.json': '{}',
        'package-lock.json': '{}',
      },
    },
    {
      name: 'a file the Gemfile requires is read by bundle install',
      code: 'FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nCOPY lib/gemfile_helper.rb lib/\nRUN bundle install\n',
      files: {
        Gemfile: "require File.join(File.dirname(__FILE__), 'lib/gemfile_helper')\nsource 'https://rubygems.org'\n",
        'Gemfile.lock': '',
        'lib/gemfile_helper.rb': '',
      },
    },
    {
      name: 'uv sync installs the project: the source copied before it is read',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nCOPY src ./src\nCOPY README.md ./\nRUN uv sync --locked\n',
    },
    {
      name: 'uv sync --package X installs a workspace member',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nCOPY packages ./packages\nRUN uv sync --locked --package api\n',
    },
    {
      name: 'poetry install without --no-root reads the package',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nCOPY mypkg ./mypkg\nRUN poetry install --only main\n',
    },
    {
      name: 'pdm install without --no-self reads the package',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml pdm.lock ./\nCOPY src ./src\nRUN pdm install --prod\n',
    },
    {
      name: "a gemspec-based Gemfile loads the gemspec, which reads the gem's source",
      code: 'FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock mygem.gemspec ./\nCOPY lib ./lib\nRUN bundle install --jobs 4\n',
      files: {
        Gemfile: 'source "https://rubygems.org"\ngemspec\n',
        'Gemfile.lock': '',
        'mygem.gemspec': '',
        'lib/mygem/version.rb': '',
      },
    },
    {
      name: "Yarn Berry's .yarn folder is read by the install (corpus: actual-server)",
      code: 'FROM node:20\nWORKDIR /app\nCOPY .yarn ./.yarn\nCOPY yarn.lock package.json .yarnrc.yml ./\nRUN yarn workspaces focus --all --production\n',
    },
    {
      name: 'mix reads config/ (corpus: firezone)',
      code: 'FROM elixir:1.16\nWORKDIR /app\nCOPY mix.exs mix.lock ./\nCOPY config config\nRUN mix deps.get --only prod\n',
    },
    {
      name: 'mix do deps.get, deps.compile reads config/ too',
      code: 'FROM elixir:1.16\nWORKDIR /app\nCOPY mix.exs mix.lock ./\nCOPY config config\nRUN mix do deps.get, deps.compile\n',
    },
    {
      name: '.NET restore inputs: solution files, NuGet.config in any case, Directory.*.props, global.json',
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY App.slnx ./\nCOPY nuget.Config ./\nCOPY Directory.Build.props Directory.Packages.props global.json ./\nCOPY src/App/App.csproj src/App/\nRUN dotnet restore\n',
      files: {
        'App.slnx': '',
        'nuget.Config': '',
        'Directory.Build.props': '',
        'Directory.Packages.props': '',
        'global.json': '',
        'src/App/App.csproj': '',
      },
    },
    {
      name: "a path dependency folder holds a manifest the install reads (corpus: realtime's mix path dep)",
      code: 'FROM elixir:1.16\nWORKDIR /app\nCOPY mix.exs mix.lock ./\nCOPY forum forum\nRUN mix deps.get\n',
      files: { 'mix.exs': '{:forum, path: "./forum"}', 'mix.lock': '', 'forum/mix.exs': '', 'forum/lib/forum.ex': '' },
    },
    {
      name: 'workspace members the install builds (their prepare script) are install inputs',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY packages ./packages\nRUN npm ci\n',
      files: {
        'package.json': '{"workspaces": ["packages/*"]}',
        'package-lock.json': '{}',
        'packages/a/package.json': '{"scripts": {"prepare": "tsc"}}',
        'packages/a/index.js': '',
      },
    },
    {
      name: 'pip wheel -r reads the requirements',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip wheel -r requirements.txt -w /wheels\n',
    },
    {
      name: "single files of mix's config/ (corpus: logflare, with `mix do … + deps.get`)",
      code: 'FROM elixir:1.16\nWORKDIR /app\nCOPY mix.exs mix.lock ./\nCOPY config/config.exs config/\nCOPY config/prod.exs config/\nRUN mix do local.hex --force + deps.get + deps.compile\n',
    },
  ],
  invalid: [
    {
      name: 'a member folder named bin that no package.json declares is not read by the install',
      code: 'FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock ./\nCOPY packages/api/package.json packages/api/\nCOPY packages/api/bin packages/api/bin\nRUN yarn install --frozen-lockfile\n',
      files: {
        'package.json': '{"workspaces":["packages/*"]}',
        'yarn.lock': '',
        'packages/api/package.json': '{"name":"api"}',
        'packages/api/bin/api.js': '',
      },
      errors: [{ line: 5 }],
    },
    {
      name: 'poetry --no-root does not read the source: a README before it is unrelated',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nCOPY README.md ./\nRUN poetry install --no-root\n',
      errors: [{ line: 4, message: /does not read/ }],
      output:
        'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY README.md ./\n',
    },
    {
      name: 'a plain Gemfile does not read lib/',
      code: 'FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nCOPY lib ./lib\nRUN bundle install --jobs 4\n',
      files: { Gemfile: 'source "https://rubygems.org"\ngem "rails"\n', 'Gemfile.lock': '', 'lib/x.rb': '' },
      errors: [{ line: 4 }],
      output:
        'FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install --jobs 4\nCOPY lib ./lib\n',
    },
    {
      name: 'a folder with a package.json is not read by a root that declares no workspaces',
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY tools ./tools\nRUN npm ci\n',
      files: { 'package.json': '{}', 'package-lock.json': '{}', 'tools/package.json': '{}' },
      errors: [{ line: 4 }],
    },
    {
      name: 'uv sync --no-install-project does not read the source',
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nCOPY docs ./docs\nRUN uv sync --locked --no-install-project\n',
      errors: [{ line: 4 }],
    },
  ],
});
